import * as tf from '@tensorflow/tfjs-core';
import { enableWasmThreads, initBackend } from '@selfsup/runtime';

await enableWasmThreads(2); // optional, Node only
const info = await initBackend('wasm'); // also registers the training kernels
const x = tf.randomNormal([8, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
const w = tf.variable(tf.randomNormal([3, 3, 3, 16], 0, 0.1, 'float32', 1));
const loss = () => tf.mean(tf.square(tf.conv2d(x, w as tf.Tensor4D, 2, 'same'))) as tf.Scalar;
const before = loss().dataSync()[0];
tf.train.sgd(0.1).minimize(loss); // needs Conv2DBackpropFilter, which tfjs-backend-wasm lacks
console.log('threads', info.threads, 'loss', before, '->', loss().dataSync()[0]);
