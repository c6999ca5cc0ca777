// One LARS step over a ResNet-18-sized parameter list (62 tensors, 11.7 M
// values: runtime's CIFAR-stem fixture) against tf.train.momentum, the plain
// SGD+momentum tfjs ships, measured in the same process. LARS adds two norms,
// the weight decay and the trust ratio per adapted tensor, so a ratio near 2-3
// is the expected cost. Usage: node lars.bench.mjs [wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import { LARS } from '@selfsup/optim';
import { initBackend } from '@selfsup/runtime';
import { createResNet18 } from '../../runtime/bench/resnet18-fixture.mjs';
import { report, timeIt } from '../../../tooling/bench.mjs';

const backend = process.argv[2] ?? 'wasm';
await initBackend(backend);
const { variables } = createResNet18({ width: 64, classes: 1000 });
const count = variables.reduce((sum, v) => sum + v.size, 0);
const grads = Object.fromEntries(variables.map((v, i) => [v.name, tf.randomNormal(v.shape, 0, 1e-3, 'float32', i)]));

async function measure(_name, optimizer) {
  const seconds = await timeIt(
    async () => {
      optimizer.applyGradients(grads);
      await variables[0].data();
    },
    { warmup: 1, iterations: 5 },
  );
  optimizer.dispose();
  return seconds;
}

const baseline = await measure('momentum', tf.train.momentum(0.1, 0.9));
report({
  bench: 'optim/momentum-step',
  paramTensors: variables.length,
  parameters: count,
  msPerStep: +(baseline * 1e3).toFixed(1),
});
for (const trustRatio of ['byol', 'solo-learn']) {
  const seconds = await measure(trustRatio, new LARS({ learningRate: 0.1, trustRatio }));
  report({
    bench: `optim/lars-step(${trustRatio})`,
    paramTensors: variables.length,
    parameters: count,
    msPerStep: +(seconds * 1e3).toFixed(1),
    ratioToMomentum: +(seconds / baseline).toFixed(2),
  });
}
