// Does a ResNet-50 (ImageNet stem) SGD step at 224x224, batch 32, fit in the wasm backend's
// 4 GiB heap? One step (forward with batch statistics, linear head, softmax cross-entropy,
// backward, SGD update) on two wasm threads; prints the heap size after it (the heap only
// grows, so that is the step's peak) or the error. `node resnet50-wasm-memory.bench.mjs [--batch 32]`
import * as tf from '@tensorflow/tfjs-core';
import { resnet50 } from '@selfsup/backbones';
import { enableWasmThreads, initBackend } from '@selfsup/runtime';
import { report } from '../../../tooling/bench.mjs';

const batch = process.argv.includes('--batch') ? Number(process.argv[process.argv.indexOf('--batch') + 1]) : 32;
const SIZE = 224;
await enableWasmThreads(2);
await initBackend('wasm');
const heapMiB = () => Math.round(tf.backend().wasm.HEAPU8.length / 2 ** 20);
const encoder = resnet50({ seed: 0 });
const fc = tf.variable(tf.randomNormal([encoder.outputDim, 1000], 0, 0.01, 'float32', 1));
const optimizer = tf.train.sgd(0.01);
const images = tf.randomUniform([batch, SIZE, SIZE, 3], 0, 1, 'float32', 2);
const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, 1000, 'int32', 3), 1000), 'float32'));
const variables = [...encoder.parameters().values(), fc];
const start = performance.now();
try {
  const cost = optimizer.minimize(
    () => tf.losses.softmaxCrossEntropy(labels, tf.matMul(encoder.apply(images, { training: true }), fc)),
    true,
    variables,
  );
  const loss = cost.dataSync()[0];
  cost.dispose();
  report({
    bench: 'resnet50-wasm-step',
    batch,
    imageSize: SIZE,
    threads: 2,
    loss: +loss.toFixed(4),
    seconds: +((performance.now() - start) / 1000).toFixed(1),
    wasmHeapMiB: heapMiB(),
  });
} catch (err) {
  report({
    bench: 'resnet50-wasm-step',
    batch,
    imageSize: SIZE,
    threads: 2,
    error: String(err?.message ?? err).split('\n')[0],
    wasmHeapMiB: heapMiB(),
  });
}
process.exit(0);
