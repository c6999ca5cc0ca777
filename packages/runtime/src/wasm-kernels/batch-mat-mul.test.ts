import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { expectSameOnBothBackends, finiteDifferenceError, onCpuAndWasm, seeded } from './test-helpers';

describe('BatchMatMul with transposed operands and batches on wasm', () => {
  it.each([
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[4, 6, 5], [4, 3, 6], true, true],
    [[2, 6, 5], [1, 6, 3], true, false],
    // Batches of products with n in fours: the module's batch_matmul (m, n not multiples of its 4x8 tile).
    [[5, 7, 6], [5, 6, 12], false, false],
    [[3, 6, 5], [3, 6, 8], true, false],
    [[4, 3, 9], [4, 4, 9], false, true],
  ] as Array<[number[], number[], boolean, boolean]>)(
    'a %j, b %j, transposeA %s, transposeB %s: equals the cpu backend',
    async (aShape, bShape, ta, tb) => {
      const result = await onCpuAndWasm(() => tf.matMul(seeded(aShape, 1), seeded(bShape, 2), ta, tb));
      expectSameOnBothBackends(result);
    },
  );

  it('gives a dense layer finite-difference-exact gradients', async () => {
    await initBackend('wasm');
    const x = seeded([6, 5], 3);
    const r = seeded([6, 4], 4);
    // matMul's gradient multiplies by transposed operands: both paths are exercised.
    const loss = (w: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.matMul(x, w)), r)) as tf.Scalar;
    expect(finiteDifferenceError(loss, seeded([5, 4], 5), 10, 1e-2)).toBeLessThan(2e-3);
  });
});
