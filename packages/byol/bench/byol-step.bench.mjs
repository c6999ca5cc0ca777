// BYOL training throughput on the active backend: steps/s and images/s (each image
// gives two views) for ResNet-18 (CIFAR stem, 32x32) at batch 64 with the paper's heads,
// and the small ConvNet for scale. Prints JSON lines (see tooling/bench.mjs).
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { convnet, resnet18 } from '@selfsup/backbones';
import { createByol } from '@selfsup/byol';
import { initBackend } from '@selfsup/runtime';
import { report, timeIt } from '../../../tooling/bench.mjs';

// wasm runs on every core unless BENCH_THREADS says otherwise (as selfsup-byol does).
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const backend = await initBackend(process.env.SELFSUP_BACKEND ?? 'auto', { wasmThreads: threads });
// Batch 64 is the target; BENCH_BATCH lowers it where the backend's memory cannot hold it.
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const SIZE = 32;
// ResNet-18 steps take tens of seconds on single-threaded wasm: time few of them.
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2);

for (const [name, makeEncoder] of [
  ['resnet18-cifar', () => resnet18({ stem: 'cifar', seed: 0 })],
  ['convnet', () => convnet({ seed: 0 })],
]) {
  const byol = createByol({
    encoder: makeEncoder(),
    imageSize: SIZE,
    batchSize: BATCH,
    totalSteps: ITERATIONS + 1,
    seed: 0,
  });
  const images = tf.randomUniform([BATCH, SIZE, SIZE, 3], 0, 1, 'float32', 0);
  let seconds;
  try {
    seconds = await timeIt(() => byol.step(images), { warmup: 1, iterations: ITERATIONS });
  } catch (err) {
    // Reported as a result (the other encoders still run): e.g. wasm's 4 GiB heap cannot hold ResNet-18 at batch 64.
    report({
      bench: 'byol-step',
      encoder: name,
      batch: BATCH,
      imageSize: SIZE,
      error: String(err.message ?? err).split('\n')[0],
    });
    images.dispose();
    byol.dispose({ all: true });
    continue;
  }
  images.dispose();
  byol.dispose({ all: true });
  report({
    bench: 'byol-step',
    encoder: name,
    batch: BATCH,
    imageSize: SIZE,
    threads: backend.threads,
    secondsPerStep: Number(seconds.toFixed(3)),
    stepsPerSecond: Number((1 / seconds).toFixed(4)),
    imagesPerSecond: Number((BATCH / seconds).toFixed(2)),
    viewsPerSecond: Number(((2 * BATCH) / seconds).toFixed(2)),
  });
}
