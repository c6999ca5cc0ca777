// SimSiam (Chen & He 2021, arXiv 2011.10566) from the selfsup building blocks.
// Settings: the paper's CIFAR-10 recipe (Appendix D: SGD lr 0.03 x batch/256, momentum 0.9,
// wd 5e-4, 2-layer projector) with its ImageNet heads' shape (Sec. 4: 3-layer projector with BN
// on every layer including the output, bottleneck predictor of 1/4 width) and the official
// code's augmentation (github.com/facebookresearch/simsiam, main_simsiam.py: MoCo v2's views).
import * as tf from '@tensorflow/tfjs-core';
import { colorJitter, compose, randomGrayscale, randomHorizontalFlip, randomResizedCrop } from '@selfsup/augment';
import { mlpHead } from '@selfsup/heads';
import { symmetricSimSiamLoss } from '@selfsup/losses';
import { cosineSchedule } from '@selfsup/optim';
import { runExample } from '../shared/run-example.mjs';
import { shortRunLr } from '../shared/short-run.mjs';

const WEIGHT_DECAY = 5e-4;

await runExample('simsiam', ({ encoder, imageSize, steps, batchSize, seed }) => {
  const dim = 512; // 2048 in the paper, scaled with the encoder
  const projector = mlpHead({
    inputDim: encoder.outputDim,
    hiddenDim: dim,
    outputDim: dim,
    layers: 3,
    outputBatchNorm: true,
    seed: seed + 1,
  });
  const predictor = mlpHead({ inputDim: dim, hiddenDim: dim / 4, outputDim: dim, seed: seed + 2 });
  // MoCo v2 / SimSiam views at CIFAR size: crop 0.2-1, jitter (0.4, 0.4, 0.4, 0.1) p 0.8, grey p 0.2, flip; no blur on 32 px.
  const view = compose([
    randomResizedCrop({ size: imageSize, scale: [0.2, 1] }),
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 }),
    randomGrayscale(0.2),
    randomHorizontalFlip(0.5),
  ]);
  const peak = shortRunLr(0.03, batchSize);
  const modules = { encoder, projector, predictor };
  const weights = Object.values(modules).flatMap((m) => [...m.parameters().values()]);
  const train = { training: true };
  const z = (x) => projector.apply(encoder.apply(x, train), train);
  return {
    modules,
    // SGD with momentum; torch's weight_decay (on every parameter) is the gradient of (wd / 2)·||w||².
    optimizer: tf.train.momentum(peak, 0.9),
    schedule: (step) => cosineSchedule(step, steps, peak, 0),
    augment: [view, view],
    loss: (x1, x2) => {
      const [z1, z2] = [z(x1), z(x2)];
      const decay = tf.mul(WEIGHT_DECAY / 2, tf.addN(weights.map((w) => tf.sum(tf.square(w)))));
      return tf.add(symmetricSimSiamLoss(predictor.apply(z1, train), z2, predictor.apply(z2, train), z1), decay);
    },
  };
});
