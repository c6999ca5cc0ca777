// Images/s of the ResNet encoders on the active backend: eval-mode forward, and a
// training-mode forward + backward (gradients of every parameter, BN running
// statistics updated), as a BYOL step runs them; plus the backward's cost
// relative to the forward in the same process. Wall time and this process's CPU
// time are both reported: the wasm and cpu backends use one thread, so on a busy
// machine CPU time is the steadier number.
// The wasm heap stops at 4 GiB; since the runtime's storage-sharing clones and
// closed-form BatchNorm gradient, a ResNet-50 224x224 training step at batch 8
// fits in it (measured 2026-11-26: the heap reaches its 4 GiB limit, no more).
// Usage: node forward.bench.mjs [auto|wasm|cpu|tensorflow]
import * as tf from '@tensorflow/tfjs-core';
import { resnet18, resnet50 } from '@selfsup/backbones';
import { initBackend } from '@selfsup/runtime';
import { report, timeIt } from '../../../tooling/bench.mjs';

const backend = await initBackend(process.argv[2] ?? 'auto');

const CASES = [
  { name: 'resnet18', make: () => resnet18({ stem: 'cifar' }), batch: 32, trainBatch: 32, size: 32, iterations: 3 },
  { name: 'resnet50', make: () => resnet50({ stem: 'imagenet' }), batch: 8, trainBatch: 8, size: 224, iterations: 1 },
];

/** Seconds per call of `fn`, by the wall clock and by this process's CPU time, after one warm-up call. */
async function secondsPerCall(fn, iterations) {
  await fn();
  const cpuStart = process.cpuUsage();
  const wall = await timeIt(fn, { warmup: 0, iterations });
  const { user, system } = process.cpuUsage(cpuStart);
  return { wall, cpu: (user + system) / 1e6 / iterations };
}

for (const { name, make, batch, trainBatch, size, iterations } of CASES) {
  const net = make();
  const common = { model: name, stem: net.config.stem, size, threads: backend.threads };
  const x = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 0);
  const forward = await secondsPerCall(async () => {
    const y = net.apply(x, { training: false });
    await y.data();
    y.dispose();
  }, iterations);
  report({
    bench: `backbones/${name}-forward`,
    ...common,
    batch,
    imagesPerSec: +(batch / forward.wall).toFixed(2),
    imagesPerCpuSec: +(batch / forward.cpu).toFixed(2),
  });

  const xTrain = tf.slice(x, 0, trainBatch);
  const params = [...net.parameters().values()];
  const backward = await secondsPerCall(async () => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(net.apply(xTrain, { training: true }))), params);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  }, iterations);
  const perImage = (seconds, n) => seconds / n;
  report({
    bench: `backbones/${name}-forward-backward`,
    ...common,
    batch: trainBatch,
    imagesPerSec: +(trainBatch / backward.wall).toFixed(2),
    imagesPerCpuSec: +(trainBatch / backward.cpu).toFixed(2),
    // Per image, so the ratio holds when the training batch is smaller than the forward's.
    ratioToForward: +(perImage(backward.wall, trainBatch) / perImage(forward.wall, batch)).toFixed(2),
  });
  tf.dispose([x, xTrain]);
  net.dispose();
}
