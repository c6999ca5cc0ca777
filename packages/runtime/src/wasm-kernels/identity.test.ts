import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';

describe('Identity and same-dtype Cast on wasm', () => {
  it('share storage: a clone allocates no buffer and outlives its source', async () => {
    await initBackend('wasm');
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const buffers = tf.memory().numDataBuffers;
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    expect(copy.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    copy.dispose();
    expect(same.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    same.dispose();
  });

  it('converts when the dtype changes (to bool: 1 for every non-zero, which the stock kernel got wrong), and keeps gradients through a clone', async () => {
    await initBackend('wasm');
    expect(tf.cast(tf.tensor1d([1.7, -2.2, 0]), 'int32').arraySync()).toEqual([1, -2, 0]);
    expect(tf.cast(tf.tensor1d([3, 0], 'int32'), 'bool').arraySync()).toEqual([1, 0]);
    expect(tf.cast(tf.tensor1d([true, false], 'bool'), 'float32').arraySync()).toEqual([1, 0]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.clone(v), v)))(tf.tensor1d([1, 2, 3]));
    expect(grad.arraySync()).toEqual([2, 4, 6]);
  });

  it('a training step keeps no extra copy of the saved activations', async () => {
    await initBackend('wasm');
    const w = tf.variable(tf.randomNormal([3, 3, 4, 8], 0, 0.1, 'float32', 1)) as tf.Variable<tf.Rank.R4>;
    const x = tf.randomUniform([2, 8, 8, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const before = tf.memory().numDataBuffers;
    let forwardBuffers = 0;
    const { value, grads } = tf.variableGrads(() => {
      const loss = tf.sum(tf.relu(tf.conv2d(x, w, 1, 'same'))) as tf.Scalar;
      forwardBuffers = tf.memory().numDataBuffers - before;
      return loss;
    }, [w]);
    // The conv output, the relu output and the loss; the engine's clones of x, w
    // and the two activations it saves for backprop share their storage.
    expect(forwardBuffers).toBe(3);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numDataBuffers).toBe(before);
    tf.dispose([w, x]);
  });
});
