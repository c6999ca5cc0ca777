import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { CONV_CASES, expectSameOnBothBackends, finiteDifferenceError, onCpuAndWasm, seeded } from './test-helpers';

describe('Conv2DBackpropInput on wasm', () => {
  it.each(CONV_CASES)(
    'x %j, kernel %i, outC %i, stride %i, pad %j: equals the cpu backend',
    async (xShape, k, outC, stride, pad) => {
      const result = await onCpuAndWasm(() => {
        const w = seeded([k, k, xShape[3], outC], 2) as tf.Tensor4D;
        const dyShape = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, w, stride, pad).shape;
        return tf.conv2dTranspose(seeded(dyShape, 3) as tf.Tensor4D, w, xShape, stride, pad);
      });
      expectSameOnBothBackends(result);
    },
  );

  it('matches finite differences of the forward convolution', async () => {
    await initBackend('wasm');
    const w = seeded([3, 3, 3, 5], 4) as tf.Tensor4D;
    const r = seeded([2, 4, 4, 5], 5);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, 2, 'same'), r)) as tf.Scalar;
    expect(finiteDifferenceError(loss, seeded([2, 7, 7, 3], 6))).toBeLessThan(1e-3);
  });

  it('leaves no tensor behind', async () => {
    await initBackend('wasm');
    const dy = seeded([2, 4, 4, 5], 1) as tf.Tensor4D;
    const w = seeded([3, 3, 3, 5], 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.conv2dTranspose(dy, w, [2, 8, 8, 3], 2, 'same').dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([dy, w]);
  });
});
