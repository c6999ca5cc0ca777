import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { expectSameOnBothBackends, onCpuAndWasm, seeded } from './test-helpers';

describe('MaxPoolGrad on wasm', () => {
  it.each([
    // [x shape, window, stride, pad]: ConvNet's 2x2 pools, ResNet's overlapping 3x3 stride-2 stem pool, odd sizes.
    [[2, 8, 8, 8], 2, 2, 'valid'],
    [[2, 9, 9, 4], 3, 2, 'same'],
    [[1, 7, 5, 12], 3, 2, 1],
    [[3, 6, 6, 4], 3, 1, 'same'],
  ] as Array<[[number, number, number, number], number, number, 'valid' | 'same' | number]>)(
    'x %j, window %i, stride %i, pad %j: the gradient equals the cpu backend (ties after ReLU included)',
    async (shape, window, stride, pad) => {
      const result = await onCpuAndWasm(() => {
        // ReLU makes many windows all zeros: the first position must get the gradient, as on cpu.
        const x = tf.relu(seeded(shape, 1)) as tf.Tensor4D;
        const f = (v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, window, stride, pad), 1.5)) as tf.Scalar;
        const dy = seeded(tf.maxPool(x, window, stride, pad).shape, 2);
        return [
          tf.grad(f)(x),
          tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, window, stride, pad), dy)) as tf.Scalar)(
            seeded(shape, 3),
          ),
        ];
      });
      // Overlapping windows sum into a pixel in another order than cpu's loop: rounding only.
      expectSameOnBothBackends(result, 1e-6);
    },
  );

  it("channels not in fours go to the backend's own kernel (without ties: it breaks them otherwise than cpu)", async () => {
    const result = await onCpuAndWasm(() =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid')) as tf.Scalar)(
        seeded([2, 5, 5, 3], 4),
      ),
    );
    expectSameOnBothBackends(result, 1e-7);
  });
});
