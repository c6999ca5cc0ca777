import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import {
  CONV_CASES,
  expectSameOnBothBackends,
  finiteDifferenceError,
  onCpuAndWasm,
  type Pad,
  seeded,
} from './test-helpers';

describe('Conv2DBackpropFilter on wasm', () => {
  it.each(CONV_CASES)(
    'x %j, kernel %i, outC %i, stride %i, pad %j: equals the cpu backend',
    async (xShape, k, outC, stride, pad) => {
      const result = await onCpuAndWasm(() => {
        const x = seeded(xShape, 1) as tf.Tensor4D;
        const dyShape = tf.conv2d(x, seeded([k, k, xShape[3], outC], 2) as tf.Tensor4D, stride, pad).shape;
        return tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x, dy: seeded(dyShape, 3) },
          {
            strides: stride,
            pad,
            dataFormat: 'NHWC',
            filterShape: [k, k, xShape[3], outC],
          },
        ) as tf.Tensor;
      });
      expectSameOnBothBackends(result);
    },
  );

  // Winograd F(4x4, 3x3) (≥ 64 tiles of 4x4): full and partial tiles, a padded 3-channel stem.
  it.each([
    [[8, 16, 16, 4], 8, 'same'],
    [[8, 15, 13, 8], 4, 'valid'],
    [[16, 8, 8, 3], 12, 'same'],
  ] as Array<[[number, number, number, number], number, Pad]>)(
    'x %j, 3x3 → %i channels, pad %j (F(4x4, 3x3)): equals the cpu backend',
    async (xShape, outC, pad) => {
      const result = await onCpuAndWasm(() => {
        const x = seeded(xShape, 1) as tf.Tensor4D;
        const dyShape = tf.conv2d(x, seeded([3, 3, xShape[3], outC], 2) as tf.Tensor4D, 1, pad).shape;
        return tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy: seeded(dyShape, 3) },
            { strides: 1, pad, dataFormat: 'NHWC', filterShape: [3, 3, xShape[3], outC] },
          ) as tf.Tensor;
      });
      expectSameOnBothBackends(result);
    },
  );

  it('matches finite differences of the forward convolution', async () => {
    await initBackend('wasm');
    const x = seeded([2, 7, 7, 3], 4) as tf.Tensor4D;
    const r = seeded([2, 4, 4, 5], 5);
    const loss = (w: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.conv2d(x, w as tf.Tensor4D, 2, [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ]),
          r,
        ),
      ) as tf.Scalar;
    expect(finiteDifferenceError(loss, seeded([3, 3, 3, 5], 6))).toBeLessThan(1e-3);
  });
});
