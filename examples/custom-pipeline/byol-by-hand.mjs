import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@selfsup/runtime';
import { loadImageFolder, batches } from '@selfsup/datasets/node';
import { byolView1, byolView2 } from '@selfsup/augment';
import { resnet18 } from '@selfsup/backbones';
import { byolProjector, byolPredictor } from '@selfsup/heads';
import { symmetricByolLoss } from '@selfsup/losses';
import { emaUpdate, cosineTau } from '@selfsup/ema';
import { LARS } from '@selfsup/optim';

await initBackend();
const bundled = new URL('../../packages/ssl-bench/demo-data/cifar10/train', import.meta.url).pathname;
const data = await loadImageFolder(process.env.IMAGES ?? bundled);
const rng = createRng(0);
const encoder = resnet18({ stem: 'cifar', widthMultiplier: 0.125 });
const projector = byolProjector(encoder.outputDim, { hiddenDim: 256, outputDim: 64 });
const predictor = byolPredictor({ inputDim: 64, hiddenDim: 256, outputDim: 64 });
const [targetEncoder, targetProjector] = [encoder.clone(), projector.clone()];
const [view1, view2] = [byolView1({ size: 32 }), byolView2({ size: 32 })];
const optimizer = new LARS({ learningRate: (0.2 * 32) / 256, weightDecay: 1.5e-6 });
const variables = [encoder, projector, predictor].flatMap((m) => [...m.parameters().values()]);
const steps = Number(process.env.STEPS ?? 5);
const train = { training: true };
const online = (x) => predictor.apply(projector.apply(encoder.apply(x, train), train), train);
const target = (x) => targetProjector.apply(targetEncoder.apply(x, train), train);
let step = 0;
for await (const { images, labels } of batches(data, { batchSize: 32, seed: 0, dropLast: true })) {
  const loss = optimizer.minimize(
    () => {
      const [x1, x2] = [view1(images, rng), view2(images, rng)];
      return symmetricByolLoss(online(x1), target(x2), online(x2), target(x1));
    },
    true,
    variables,
  );
  const tau = cosineTau(step, steps);
  emaUpdate(targetEncoder, encoder, tau);
  emaUpdate(targetProjector, projector, tau);
  console.log(`step ${++step} loss ${loss.dataSync()[0].toFixed(4)} tau ${tau.toFixed(4)}`);
  tf.dispose([images, labels, loss]);
  if (step === steps) break;
}
