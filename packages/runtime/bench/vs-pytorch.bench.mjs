// Training throughput of selfsup on wasm (2 threads) against PyTorch (2 threads) on the
// same machine, in one run so that the machine's load weighs on both sides:
//  - ResNet-18 (CIFAR stem) SGD step, batch 64, 32x32: resnet18-fixture.mjs against
//    resnet18_step_torch.py (same architecture, batch statistics, SGD lr 0.01);
//  - BYOL step with ConvNet 32-64-128-256, heads 1024/128, batch 256, augmentation included:
//    @selfsup/byol's trainer (small recipe, standardised views) against
//    ../shared/reference/byol_reference.py --steps 20 (run with --no-blur, as the small recipe).
// Prints one JSON line per side and row and one with the ratio (selfsup / PyTorch img/s),
// each with the load average. Without torch in /usr/bin/python3 the PyTorch side is skipped
// with a message. `node vs-pytorch.bench.mjs [--only resnet18|byol]`
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { enableWasmThreads, initBackend, wasmKernelsUseFma } from '@selfsup/runtime';
import { report, timeIt } from '../../../tooling/bench.mjs';
import { createByolConvnetStep } from './byol-convnet-step.mjs';
import { createResNet18, trainingStep } from './resnet18-fixture.mjs';

const THREADS = 2;
const PYTHON = '/usr/bin/python3';
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const REFERENCE = here('../../../../shared/reference/byol_reference.py');
const CIFAR10 = here('../../../../shared/data/cifar10');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const round = (v) => +v.toPrecision(3);
const load = () => loadavg().map((v) => +v.toFixed(2));

function torchMissing() {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${PYTHON} cannot import torch`;
}
const skipTorch = torchMissing();

/** Runs a Python script; returns its stdout lines. */
function python(args) {
  const res = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`${args[0]} failed: ${res.stderr.slice(-2000)}`);
  return res.stdout.split('\n');
}

function ratioLine(row, selfsup, pytorch) {
  if (!pytorch) {
    return report({ bench: 'vs-pytorch', row, selfsupImagesPerSecond: selfsup, skipped: `PyTorch: ${skipTorch}` });
  }
  return report({
    bench: 'vs-pytorch',
    row,
    selfsupImagesPerSecond: selfsup,
    pytorchImagesPerSecond: pytorch,
    ratio: round(selfsup / pytorch),
    loadavg: load(),
  });
}

async function resnet18Row() {
  const batch = 64;
  const net = createResNet18({ seed: 0 });
  const optimizer = tf.train.sgd(0.01);
  const images = tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 4);
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 5), 10), 'float32'));
  const loadBefore = load();
  const seconds = await timeIt(() => trainingStep(net, optimizer, images, labels), { warmup: 1, iterations: 3 });
  tf.dispose([images, labels]);
  optimizer.dispose();
  net.dispose();
  const selfsup = round(batch / seconds);
  report({
    bench: 'vs-pytorch-side',
    row: 'resnet18-step',
    impl: 'selfsup',
    threads: THREADS,
    batch,
    seconds: round(seconds),
    imagesPerSecond: selfsup,
    loadavg: loadBefore,
    wasmHeapMiB: Math.round(tf.backend().wasm.HEAPU8.length / 2 ** 20),
    fma: wasmKernelsUseFma(),
  });
  let pytorch;
  if (!skipTorch) {
    const loadTorch = load();
    const out = JSON.parse(
      python([here('./resnet18_step_torch.py'), '--batch', String(batch), '--threads', String(THREADS)])
        .filter((l) => l.startsWith('{'))
        .at(-1),
    );
    pytorch = out.img_per_s;
    report({
      bench: 'vs-pytorch-side',
      row: 'resnet18-step',
      impl: 'pytorch',
      threads: out.threads,
      torch: out.torch,
      batch,
      seconds: out.seconds,
      imagesPerSecond: pytorch,
      loadavg: loadTorch,
    });
  }
  ratioLine('resnet18-step', selfsup, pytorch);
}

async function byolRow() {
  const batch = 256;
  const steps = 20;
  const byol = createByolConvnetStep(steps);
  const loadBefore = load();
  // As the reference: the mean over steps after the first (which builds kernels and buffers).
  const seconds = await timeIt(byol.step, { warmup: 1, iterations: steps - 1 });
  byol.dispose();
  const selfsup = round(batch / seconds);
  report({
    bench: 'vs-pytorch-side',
    row: 'byol-convnet-step',
    impl: 'selfsup',
    threads: THREADS,
    batch,
    seconds: round(seconds),
    imagesPerSecond: selfsup,
    loadavg: loadBefore,
  });
  let pytorch;
  if (!skipTorch && !existsSync(CIFAR10)) {
    console.error(`vs-pytorch: ${CIFAR10} missing, PyTorch BYOL row skipped`);
  } else if (!skipTorch) {
    const loadTorch = load();
    const lines = python([
      REFERENCE,
      '--data',
      CIFAR10,
      '--backbone',
      'convnet',
      '--no-blur',
      '--steps',
      String(steps),
      '--batch-size',
      String(batch),
      '--threads',
      String(THREADS),
      '--no-linear',
      '--no-random-baseline',
      '--test-limit',
      '200',
    ]);
    const stepLines = lines.filter((l) => l.startsWith('{"type": "step"')).map((l) => JSON.parse(l));
    const final = JSON.parse(lines.filter((l) => l.startsWith('{')).at(-1));
    const later = stepLines.slice(1);
    const meanSeconds = later.reduce((s, r) => s + r.step_s, 0) / later.length;
    pytorch = round(batch / meanSeconds);
    report({
      bench: 'vs-pytorch-side',
      row: 'byol-convnet-step',
      impl: 'pytorch',
      threads: final.threads,
      batch,
      seconds: round(meanSeconds),
      imagesPerSecond: pytorch,
      // byol_reference.py's own figure: all 20 steps, the first included.
      referenceImgPerS: final.img_per_s,
      loadavg: loadTorch,
    });
  }
  ratioLine('byol-convnet-step', selfsup, pytorch);
}

if (skipTorch) console.error(`vs-pytorch: PyTorch side skipped: ${skipTorch}`);
await enableWasmThreads(THREADS);
await initBackend('wasm');
if (only !== 'byol') await resnet18Row();
if (only !== 'resnet18') await byolRow();
process.exit(0);
