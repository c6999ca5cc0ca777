// Loading throughput on ../shared/data (or $SELFSUP_DATA), one JSON line each:
//  - images/s decoding the cifar10 ImageFolder (5000 32x32 JPEGs) with the
//    concurrent pool, against one-at-a-time decoding in the same process;
//  - images/s loading dtd10 (400 JPEGs of 300-800 px) resized to 64;
//  - images/s parsing Fashion-MNIST train (IDX gz);
//  - batches/s of `batches` (256 images, cifar10) with and without prefetch,
//    against making the same tensors directly with imagesToTensor.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { batches, imagesToTensor, loadIdx, loadImageFolder } from '@selfsup/datasets/node';
import { report, timeIt } from '../../../tooling/bench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const data = (...parts) => join(process.env.SELFSUP_DATA ?? join(repoRoot, '..', 'shared', 'data'), ...parts);
await initBackend(process.argv[2] ?? 'wasm');

async function imagesPerSecond(name, load, extra = {}) {
  let n = 0;
  const seconds = await timeIt(
    async () => {
      n = (await load()).shape[0];
    },
    { warmup: 1, iterations: 2 },
  );
  return report({
    bench: name,
    images: n,
    seconds: +seconds.toFixed(3),
    imagesPerSecond: Math.round(n / seconds),
    ...extra,
  });
}

const pooled = await imagesPerSecond('load-imagefolder-cifar10', () => loadImageFolder(data('cifar10', 'train')), {
  concurrency: 8,
});
const serial = await imagesPerSecond(
  'load-imagefolder-cifar10',
  () => loadImageFolder(data('cifar10', 'train'), { concurrency: 1 }),
  { concurrency: 1 },
);
report({
  bench: 'load-imagefolder-cifar10-pool-speedup',
  ratio: +(pooled.imagesPerSecond / serial.imagesPerSecond).toFixed(2),
});
await imagesPerSecond('load-imagefolder-dtd10-resize64', () => loadImageFolder(data('dtd10', 'train'), { size: 64 }));
await imagesPerSecond('load-idx-fashion-mnist-train', () =>
  loadIdx(data('fashion-mnist', 'train-images-idx3-ubyte.gz'), data('fashion-mnist', 'train-labels-idx1-ubyte.gz')),
);

// The consumer reads each batch back (`await data()`), as a training step's loss read-back would.
const cifar = await loadImageFolder(data('cifar10', 'train'));
async function epochOfBatches(prefetch) {
  let count = 0;
  for await (const batch of batches(cifar, { batchSize: 256, seed: 0, prefetch })) {
    await batch.images.data();
    tf.dispose([batch.images, batch.labels]);
    count++;
  }
  return count;
}
async function epochDirect() {
  let count = 0;
  for (let start = 0; start < cifar.shape[0]; start += 256, count++) {
    const indices = Array.from({ length: Math.min(256, cifar.shape[0] - start) }, (_, k) => start + k);
    const images = imagesToTensor(cifar, indices);
    await images.data();
    images.dispose();
  }
  return count;
}
let perEpoch = 0;
const results = {};
for (const [name, run] of [
  ['direct imagesToTensor', epochDirect],
  ['batches prefetch=false', () => epochOfBatches(false)],
  ['batches prefetch=true', () => epochOfBatches(true)],
]) {
  const seconds = await timeIt(async () => (perEpoch = await run()), { warmup: 1, iterations: 3 });
  results[name] = perEpoch / seconds;
  report({
    bench: 'batches-cifar10',
    variant: name,
    batchSize: 256,
    batchesPerSecond: +(perEpoch / seconds).toFixed(1),
    imagesPerSecond: Math.round((perEpoch * 256) / seconds),
  });
}
report({
  bench: 'batches-cifar10-vs-direct',
  ratio: +(results['batches prefetch=true'] / results['direct imagesToTensor']).toFixed(2),
});
