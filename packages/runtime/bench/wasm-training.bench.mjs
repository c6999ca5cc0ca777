// Throughput of training convolutional networks on the wasm backend, with the
// cpu backend as the same-process baseline:
//  - GFLOP/s of each conv kernel (forward, input gradient, filter gradient) on
//    ResNet-18 layer shapes (counted as direct convolution, also where Winograd
//    does fewer multiplies), each gradient's speed relative to the forward, and the
//    forward relative to XNNPACK's own convolution (tfjs-backend-wasm's FusedConv2D);
//  - images/s of a full ResNet-18 (CIFAR stem) SGD step at batch 64 on wasm;
//  all on one wasm thread, then again on two (enableWasmThreads); and the step on cpu.
// `node wasm-training.bench.mjs [--skip-cpu] [--cpu-batch N]`: a batch-64 step on the
// JS cpu backend takes many minutes (hours on a loaded machine); --cpu-batch shrinks it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { enableWasmThreads, initBackend } from '@selfsup/runtime';
import { report, timeIt } from '../../../tooling/bench.mjs';
import { createResNet18, resnet18ForwardFlops, trainingStep } from './resnet18-fixture.mjs';

const BATCH = 64;
/** Three significant digits: the cpu backend's images/s are far below 0.01. */
const round = (v) => +v.toPrecision(3);

/**
 * Seconds per call, by the wall clock and by this process's CPU time. The wasm
 * backend runs on one thread, so on a shared, oversubscribed machine CPU time
 * is the stable measure of the kernels (wall ≈ CPU when the machine is idle).
 */
async function measure(fn, iterations, warmup = 1) {
  if (warmup > 0) await timeIt(fn, { warmup, iterations: 0 });
  const before = process.cpuUsage();
  const wall = await timeIt(fn, { warmup: 0, iterations });
  const used = process.cpuUsage(before);
  return { wall, cpu: (used.user + used.system) / 1e6 / iterations };
}
const skipCpu = process.argv.includes('--skip-cpu');
const threadedChild = process.argv.includes('--threaded');
const cpuBatchArg = process.argv.indexOf('--cpu-batch');
const CPU_BATCH = cpuBatchArg > 0 ? Number(process.argv[cpuBatchArg + 1]) : BATCH;
const PAD1 = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];
const threadCount = () => tf.backend().wasm?.tfjs.getThreadsCount() ?? 1;

// [layer, input NHWC, kernel, inC, outC, stride, pad]: the conv layers of ResNet-18 (CIFAR stem).
const LAYERS = [
  ['stage1 3x3', [BATCH, 32, 32, 64], 3, 64, 64, 1, PAD1],
  ['stage2 3x3 s2', [BATCH, 32, 32, 64], 3, 64, 128, 2, PAD1],
  ['stage2 1x1 s2', [BATCH, 32, 32, 64], 1, 64, 128, 2, 'valid'],
  ['stage2 3x3', [BATCH, 16, 16, 128], 3, 128, 128, 1, PAD1],
  ['stage3 3x3', [BATCH, 8, 8, 256], 3, 256, 256, 1, PAD1],
  ['stage4 3x3', [BATCH, 4, 4, 512], 3, 512, 512, 1, PAD1],
];

async function benchConvKernels() {
  for (const [layer, xShape, k, cin, cout, stride, pad] of LAYERS) {
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 1);
    const w = tf.randomNormal([k, k, cin, cout], 0, 0.1, 'float32', 2);
    const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, w, stride, pad).shape, 0, 1, 'float32', 3));
    const flops = 2 * dy.size * k * k * cin;
    const kernels = {
      forward: () => tf.conv2d(x, w, stride, pad),
      xnnpackForward: () => tf.fused.conv2d({ x, filter: w, strides: stride, pad }),
      inputGrad: () => tf.conv2dTranspose(dy, w, xShape, stride, pad),
      filterGrad: () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: stride, pad, dataFormat: 'NHWC', filterShape: [k, k, cin, cout] },
          ),
    };
    let forward;
    for (const [kernel, fn] of Object.entries(kernels)) {
      const seconds = await measure(() => tf.dispose(fn()), 3);
      forward ??= seconds;
      report({
        bench: 'conv-kernel',
        layer,
        kernel,
        threads: threadCount(),
        input: xShape,
        filter: [k, k, cin, cout],
        stride,
        ms: +(seconds.wall * 1e3).toFixed(1),
        cpuMs: +(seconds.cpu * 1e3).toFixed(1),
        gflops: +(flops / seconds.wall / 1e9).toFixed(2),
        gflopsCpuTime: +(flops / seconds.cpu / 1e9).toFixed(2),
        // > 1: faster than the forward (for xnnpackForward: our forward is that much faster).
        vsForward: +(forward.wall / seconds.wall).toFixed(2),
      });
    }
    tf.dispose([x, w, dy]);
  }
}

async function benchTrainingStep(iterations, warmup = 1, batch = BATCH) {
  const net = createResNet18({ seed: 0 });
  const optimizer = tf.train.sgd(0.01);
  const images = tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 4);
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 5), 10), 'float32'));
  const seconds = await measure(() => trainingStep(net, optimizer, images, labels), iterations, warmup);
  const trainFlops = 3 * resnet18ForwardFlops() * batch;
  const line = report({
    bench: 'resnet18-train-step',
    batch,
    iterations,
    threads: threadCount(),
    seconds: round(seconds.wall),
    cpuSeconds: round(seconds.cpu),
    imagesPerSecond: round(batch / seconds.wall),
    imagesPerCpuSecond: round(batch / seconds.cpu),
    gflopsCpuTime: round(trainFlops / seconds.cpu / 1e9),
    // The wasm heap only grows, so its size is the peak memory the step needed.
    wasmHeapMiB: tf.backend().wasm ? Math.round(tf.backend().wasm.HEAPU8.length / 2 ** 20) : undefined,
  });
  tf.dispose([images, labels]);
  optimizer.dispose();
  net.dispose();
  return line;
}

/**
 * The kernels and the step on two wasm threads, in a child process: a batch-64 step fills
 * most of the 4 GiB wasm heap, and a second (threaded) wasm instance beside the first
 * would not fit. Passes its lines through; returns the step's.
 */
function benchThreadedInChild() {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--threaded'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`threaded run failed: ${child.stderr.slice(-2000)}`);
  const lines = child.stdout.split('\n').filter((l) => l.startsWith('{'));
  for (const line of lines) console.log(line);
  return JSON.parse(lines.find((l) => l.includes('"resnet18-train-step"')));
}

if (threadedChild) {
  await enableWasmThreads(2);
  await initBackend('wasm');
  await benchConvKernels();
  await benchTrainingStep(3);
  process.exit(0);
}

await initBackend('wasm');
await benchConvKernels();
const wasmStep = await benchTrainingStep(3);
const threadedStep = benchThreadedInChild();
report({
  bench: 'resnet18-train-step-threads',
  twoThreadsOverOne: round(threadedStep.imagesPerSecond / wasmStep.imagesPerSecond),
  cpuTimeTwoOverOne: round(threadedStep.cpuSeconds / wasmStep.cpuSeconds),
});

if (!skipCpu) {
  await initBackend('cpu');
  // One untimed-warmup-free iteration: a batch-64 step on the JS backend takes many minutes.
  const cpuStep = await benchTrainingStep(1, 0, CPU_BATCH);
  report({
    bench: 'resnet18-train-step-ratio',
    wasmOverCpu: round(wasmStep.imagesPerSecond / cpuStep.imagesPerSecond),
    wasmOverCpuByCpuTime: round(wasmStep.imagesPerCpuSecond / cpuStep.imagesPerCpuSecond),
  });
}
