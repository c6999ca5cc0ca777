import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import {
  expectSameOnBothBackends,
  finiteDifferenceError,
  numericalGradient,
  onCpuAndWasm,
  relativeError,
  seeded,
  type Pad,
} from './test-helpers';

// [input NHWC, kernel, channel multiplier, stride, dilation, pad]: MobileNet-style depthwise layers and odd sizes.
const CASES: Array<[[number, number, number, number], number, number, number, number, Pad]> = [
  [[2, 8, 8, 4], 3, 1, 1, 1, 'same'],
  [[2, 9, 9, 3], 3, 1, 2, 1, 'same'],
  [
    [2, 8, 8, 3],
    3,
    2,
    2,
    1,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ],
  [[3, 7, 6, 2], 3, 3, 1, 1, 'valid'],
  [[1, 12, 12, 2], 5, 1, 2, 1, 'valid'],
  [[1, 16, 16, 2], 7, 1, 2, 1, 'same'],
  [[2, 6, 6, 5], 1, 2, 2, 1, 'valid'],
];

// Dilated cases: the cpu backend ignores dilation in these two kernels (tfjs's own gradient
// refuses dilation), so the reference is the numerical gradient of the forward op.
const DILATED: Array<[[number, number, number, number], number, number, Pad]> = [
  [[1, 11, 11, 2], 3, 1, 'same'],
  [[2, 10, 10, 3], 3, 2, 'valid'],
];

describe('depthwise convolution gradients on wasm', () => {
  it.each(CASES)(
    'x %j, kernel %i, multiplier %i, stride %i, dilation %i, pad %j: both equal the cpu backend',
    async (xShape, k, m, stride, dilation, pad) => {
      const filterShape: [number, number, number, number] = [k, k, xShape[3], m];
      const result = await onCpuAndWasm(() => {
        const x = seeded(xShape, 1) as tf.Tensor4D;
        const w = seeded(filterShape, 2) as tf.Tensor4D;
        const dy = seeded(tf.depthwiseConv2d(x, w, stride, pad, 'NHWC', dilation).shape, 3);
        const attrs = { strides: stride, dilations: dilation, pad };
        return [
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropInput',
              { dy, filter: w },
              { ...attrs, inputShape: xShape },
            ) as tf.Tensor,
          tf
            .engine()
            .runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape }) as tf.Tensor,
        ];
      });
      expectSameOnBothBackends(result);
    },
  );

  it.each(DILATED)(
    'x %j, kernel %i, multiplier %i, dilation 2, pad %j: both equal the numerical gradient',
    async (xShape, k, m, pad) => {
      const filterShape: [number, number, number, number] = [k, k, xShape[3], m];
      await initBackend('cpu');
      const x = seeded(xShape, 1) as tf.Tensor4D;
      const w = seeded(filterShape, 2) as tf.Tensor4D;
      const dy = seeded(tf.depthwiseConv2d(x, w, 1, pad, 'NHWC', 2).shape, 3);
      const loss = (input: tf.Tensor, filter: tf.Tensor) =>
        tf.sum(
          tf.mul(tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, pad, 'NHWC', 2), dy),
        ) as tf.Scalar;
      const expectedDx = numericalGradient((v) => loss(v, w), x);
      const expectedDw = numericalGradient((v) => loss(x, v), w);
      await initBackend('wasm');
      const attrs = { strides: 1, dilations: 2, pad };
      const dx = tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter: w },
          { ...attrs, inputShape: xShape },
        ) as tf.Tensor;
      const dw = tf
        .engine()
        .runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape }) as tf.Tensor;
      expect(relativeError(dx.dataSync(), expectedDx)).toBeLessThan(1e-3);
      expect(relativeError(dw.dataSync(), expectedDw)).toBeLessThan(1e-3);
      tf.dispose([x, w, dy, dx, dw]);
    },
  );

  it('match finite differences of the forward depthwise convolution', async () => {
    await initBackend('wasm');
    const x = seeded([2, 7, 7, 3], 4) as tf.Tensor4D;
    const w = seeded([3, 3, 3, 2], 5) as tf.Tensor4D;
    const r = seeded([2, 4, 4, 6], 6);
    const loss = (input: tf.Tensor, filter: tf.Tensor) =>
      tf.sum(tf.mul(tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 2, 'same'), r)) as tf.Scalar;
    expect(finiteDifferenceError((v) => loss(v, w), x)).toBeLessThan(1e-3);
    expect(finiteDifferenceError((v) => loss(x, v), w)).toBeLessThan(1e-3);
  });
});
