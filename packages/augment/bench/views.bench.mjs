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

async function measure(name, transform) {
  const seconds = await timeIt(
    async () => {
      const out = transform(images, rng);
      await out.data();
      out.dispose();
    },
    { warmup: 1, iterations: 5 },
  );
  return report({ bench: `augment/${name}`, batch: N, size: SIZE, msPerBatch: +(seconds * 1e3).toFixed(1), imagesPerSec: Math.round(N / seconds) });
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
images.dispose();
