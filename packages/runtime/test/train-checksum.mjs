// Prints a checksum of ResNet-18 (width 8) weights after two SGD steps on the
// wasm backend with `node train-checksum.mjs <threads>`: the thread-count
// determinism test runs it in child processes (one wasm backend per process).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { createResNet18, trainingStep } from '../bench/resnet18-fixture.mjs';

const info = await initBackend('wasm', { wasmThreads: Number(process.argv[2]) });
const net = createResNet18({ width: 8, seed: 3 });
const optimizer = tf.train.sgd(0.1);
const images = tf.randomUniform([8, 16, 16, 3], 0, 1, 'float32', 4);
const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([8], 0, 10, 'int32', 5), 10), 'float32'));
for (let step = 0; step < 2; step++) trainingStep(net, optimizer, images, labels);
// Exact bits of every weight, folded into one 32-bit value.
let checksum = 0;
for (const v of net.variables) {
  for (const bits of new Uint32Array(v.dataSync().slice().buffer)) checksum = (Math.imul(checksum, 31) + bits) >>> 0;
}
console.log(JSON.stringify({ threads: info.threads, checksum }));
