// Throughput of the BYOL views on a CIFAR-size batch (256 x 32 x 32 x 3) on wasm,
// plus each stage alone, so a slow stage is visible. One JSON line per measurement.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@selfsup/runtime';
import {
  byolView1,
  byolView2,
  colorJitter,
  randomGaussianBlur,
  randomResizedCrop,
  randomGrayscale,
  randomHorizontalFlip,
} from '@selfsup/augment';
import { report, timeIt } from '../../../tooling/bench.mjs';

const backend = process.argv[2] ?? 'wasm';
await initBackend(backend);
const N = 256;
const SIZE = 32;
const rng = createRng(0);
const images = tf.tensor4d(rng.fillUniform(new Float32Array(N * SIZE * SIZE * 3)), [N, SIZE, SIZE, 3]);

const lines = [];
async function measure(name, transform) {
  const seconds = await timeIt(
    async () => {
      const out = transform(images, rng);
      await out.data();
      out.dispose();
    },
    { warmup: 1, iterations: 5 },
  );
  const line = report({
    bench: `augment/${name}`,
    batch: N,
    size: SIZE,
    msPerBatch: +(seconds * 1e3).toFixed(1),
    imagesPerSec: Math.round(N / seconds),
  });
  lines.push(line);
  return line;
}

const view1 = byolView1({ size: SIZE });
const view2 = byolView2({ size: SIZE });
await measure('randomResizedCrop', randomResizedCrop({ size: SIZE }));
await measure('randomHorizontalFlip', randomHorizontalFlip(0.5));
await measure('colorJitter(p=0.8)', colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, p: 0.8 }));
await measure('randomGrayscale', randomGrayscale(0.2));
await measure('randomGaussianBlur(p=1,k=3)', randomGaussianBlur({ p: 1 }));
await measure('byolView1', view1);
await measure('byolView2', view2);
// The number that matters: one BYOL step needs both views of every image.
await measure('byolView1+byolView2', (x, r) => {
  const a = view1(x, r);
  const b = view2(x, r);
  const both = tf.concat([a, b]);
  tf.dispose([a, b]);
  return both;
});
// Same-run baseline for "augmentation must be >= 5x faster than the training step it feeds":
// ONE 3x3 conv 64 -> 64 forward on the same batch. A ResNet-18 (CIFAR stem) training step
// does 16 convs at least this costly, each forward + two backward passes (~48x this).
const features = tf.randomUniform([N, SIZE, SIZE, 64]);
const kernel = tf.randomUniform([3, 3, 64, 64]);
const conv = await measure('baseline: one 64->64 3x3 conv forward', () => tf.conv2d(features, kernel, 1, 'same'));
const pair = lines.find((l) => l.bench === 'augment/byolView1+byolView2');
report({
  bench: 'augment/ratio',
  resnet18StepLowerBoundMs: Math.round(48 * conv.msPerBatch),
  viewsMs: pair.msPerBatch,
  trainingStepOverViews: +((48 * conv.msPerBatch) / pair.msPerBatch).toFixed(1),
});
tf.dispose([images, features, kernel]);
