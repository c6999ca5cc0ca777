// The example of the README's "WASM training kernels" section, kept runnable here.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { enableWasmThreads, initBackend } from '../index';

it('README example: one SGD step of a strided conv on 2 wasm threads', async () => {
  await enableWasmThreads(2); // optional, Node only
  const info = await initBackend('wasm'); // also registers the training kernels
  const x = tf.randomNormal([8, 32, 32, 3], 0, 1, 'float32', 0) as tf.Tensor4D;
  const w = tf.variable(tf.randomNormal([3, 3, 3, 16], 0, 0.1, 'float32', 1));
  const optimizer = tf.train.sgd(0.1);
  const loss = () => tf.mean(tf.square(tf.conv2d(x, w as tf.Tensor4D, 2, 'same'))) as tf.Scalar;
  const before = loss().dataSync()[0];
  optimizer.minimize(loss); // needs Conv2DBackpropFilter, which tfjs-backend-wasm lacks
  const after = loss().dataSync()[0];

  expect(info.threads).toBe(2);
  expect(after).toBeLessThan(before);
});
