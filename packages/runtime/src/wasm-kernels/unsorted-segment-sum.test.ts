import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { expectSameOnBothBackends, finiteDifferenceError, onCpuAndWasm, seeded } from './test-helpers';

describe('UnsortedSegmentSum on wasm', () => {
  it.each([
    // [x shape, segment ids, numSegments]: repeated ids, unused segments, ids out of range (dropped).
    [[6, 3], [0, 2, 0, 1, 2, 2], 4],
    [[5, 2, 3], [4, 4, 0, 1, 4], 5],
    [[4], [1, -1, 7, 1], 3],
    [[3, 4], [-2, 5, 9], 2],
  ] as Array<[number[], number[], number]>)(
    'x %j, ids %j, %i segments: equals the cpu backend',
    async (xShape, ids, numSegments) => {
      const result = await onCpuAndWasm(() =>
        tf.unsortedSegmentSum(seeded(xShape, 1), tf.tensor1d(ids, 'int32'), numSegments),
      );
      expectSameOnBothBackends(result, 1e-6);
    },
  );

  it('is the gradient of gather (embedding lookup)', async () => {
    await initBackend('wasm');
    const ids = tf.tensor1d([3, 0, 3, 3, 1], 'int32');
    const r = seeded([5, 4], 2);
    const loss = (table: tf.Tensor) => tf.sum(tf.mul(tf.gather(table, ids), r)) as tf.Scalar;
    const table = seeded([6, 4], 3);
    expect(finiteDifferenceError(loss, table, 12)).toBeLessThan(1e-3);
    // Rows never looked up get no gradient.
    const grad = tf.grad(loss)(table).arraySync() as number[][];
    expect(grad[5]).toEqual([0, 0, 0, 0]);
  });
});
