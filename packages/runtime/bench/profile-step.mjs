// Where a training step spends its time on wasm: tf.profile's per-kernel wall time, summed
// by op and by op + shapes (a layer of the network), after one warm-up step. Steps: the
// ResNet-18 (CIFAR stem) SGD step at batch 64 of vs-pytorch.bench.mjs, or its BYOL ConvNet
// step (batch 256, augmentation included).
// `node profile-step.mjs [--model resnet18|byol] [--threads 1|2] [--top 25]` prints JSON
// lines: one per op, then the `--top` costliest op + shape groups, then the total. Scopes
// (`unnamed scope`, `…__op`) hold kernels that are also listed on their own.
import * as tf from '@tensorflow/tfjs-core';
import * as runtime from '@selfsup/runtime';
import { createByolConvnetStep } from './byol-convnet-step.mjs';
import { createResNet18, trainingStep } from './resnet18-fixture.mjs';

const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const threads = arg('--threads', 2);
const top = arg('--top', 25);
const model = process.argv.includes('--model') ? process.argv[process.argv.indexOf('--model') + 1] : 'resnet18';

if (threads > 1) await runtime.enableWasmThreads(threads);
await runtime.initBackend('wasm');
function resnet18Step() {
  const batch = 64;
  const net = createResNet18({ seed: 0 });
  const optimizer = tf.train.sgd(0.01);
  const images = tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 4);
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 5), 10), 'float32'));
  return () => trainingStep(net, optimizer, images, labels);
}
const step = model === 'byol' ? createByolConvnetStep(4).step : resnet18Step();
step();

const start = performance.now();
const info = await tf.profile(() => {
  step();
});
const wall = performance.now() - start;
const kernels = await Promise.all(info.kernels.map(async (k) => ({ ...k, ms: await k.kernelTimeMs })));
const group = (key) => {
  const map = new Map();
  for (const k of kernels) {
    const g = map.get(key(k)) ?? { ms: 0, calls: 0 };
    g.ms += k.ms;
    g.calls++;
    map.set(key(k), g);
  }
  return [...map.entries()].sort((a, b) => b[1].ms - a[1].ms);
};
// Scopes wrap kernels that are listed too: left out of the total.
const isScope = (k) => k.name === 'unnamed scope' || k.name.endsWith('__op');
const kernelMs = kernels.filter((k) => !isScope(k)).reduce((s, k) => s + k.ms, 0);
const out = (fields) => console.log(JSON.stringify({ model, threads, ...fields }));
for (const [op, g] of group((k) => k.name)) {
  out({ by: 'op', op, calls: g.calls, ms: +g.ms.toFixed(1), share: +(g.ms / kernelMs).toFixed(3) });
}
const shapes = (k) => `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
for (const [layer, g] of group(shapes).slice(0, top)) {
  out({ by: 'layer', layer, calls: g.calls, ms: +g.ms.toFixed(1), share: +(g.ms / kernelMs).toFixed(3) });
}
out({
  by: 'total',
  // (wasmKernelsUseFma is missing from builds before it, profiled for comparison.)
  fma: runtime.wasmKernelsUseFma?.() ?? false,
  kernels: kernels.length,
  kernelMs: +kernelMs.toFixed(0),
  wallMs: +wall.toFixed(0),
});
process.exit(0);
