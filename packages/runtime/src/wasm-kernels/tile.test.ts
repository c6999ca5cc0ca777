import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { expectSameOnBothBackends, onCpuAndWasm, seeded } from './test-helpers';

describe('Tile on wasm', () => {
  it.each([
    [
      [1, 1, 1, 5],
      [3, 4, 2, 1],
    ],
    [
      [2, 3],
      [2, 3],
    ],
    [
      [3, 1, 2],
      [1, 4, 1],
    ],
    [[4], [5]],
    [
      [2, 2, 2],
      [1, 1, 1],
    ],
    [
      [2, 0, 3],
      [2, 2, 1],
    ],
  ] as Array<[number[], number[]]>)('x %j, reps %j: equals the cpu backend', async (shape, reps) => {
    expectSameOnBothBackends(await onCpuAndWasm(() => tf.tile(seeded(shape, 1), reps)), 1e-9);
  });

  it('tiles int32 and bool tensors', async () => {
    await initBackend('wasm');
    expect(tf.tile(tf.tensor2d([[1, 2]], [1, 2], 'int32'), [2, 2]).arraySync()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(tf.tile(tf.tensor1d([true, false], 'bool'), [2]).arraySync()).toEqual([1, 0, 1, 0]);
  });
});
