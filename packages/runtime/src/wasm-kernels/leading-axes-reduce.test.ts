import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { expectSameOnBothBackends, onCpuAndWasm, seeded } from './test-helpers';

describe('Sum and Mean on wasm', () => {
  it.each([
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [0, 1, 2], true],
    [[4, 5, 6, 3], [1, 0], false],
    [[7, 3], 0, true],
    [[4, 5, 6, 3], [1, 2], false],
    [[4, 5, 6, 3], -1, false],
    [[4, 5], [0, 1], false],
    // More rows than one summation block, 37 columns: a 32-wide pass, a 4-wide one and a single column.
    [[600, 7, 37], [0, 1], false],
    // A middle run (channelSum's tree): group_sums.
    [[5, 32, 6], 1, false],
    [[3, 4, 5, 8], [1, 2], true],
  ] as Array<[number[], number | number[], boolean]>)(
    'x %j over axes %j (keepDims %s): equal the cpu backend',
    async (shape, axis, keepDims) => {
      const result = await onCpuAndWasm(() => {
        const x = seeded(shape, 1);
        return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)];
      });
      expectSameOnBothBackends(result, 1e-5);
    },
  );

  it('reduces one tensor over different leading axes in turn, and leaves int32 to the backend', async () => {
    await initBackend('wasm');
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(tf.sum(x, [0, 1]).arraySync()).toEqual([16, 20]);
    expect(tf.sum(x, 0).arraySync()).toEqual([
      [6, 8],
      [10, 12],
    ]);
    expect(tf.mean(x, [0, 1]).arraySync()).toEqual([4, 5]);
    expect(tf.sum(tf.tensor2d([[1, 2]], [1, 2], 'int32'), 0).arraySync()).toEqual([1, 2]);
    x.dispose();
  });
});
