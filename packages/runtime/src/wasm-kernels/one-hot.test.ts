import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { initBackend } from '../backend';

it('oneHot on wasm gives the same values as cpu for every dtype (the stock kernel writes int32 bits)', async () => {
  const expected: Record<string, number[]> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend(backend);
    const before = tf.memory().numTensors;
    for (const dtype of ['float32', 'int32'] as const) {
      const t = tf.tidy(() => tf.oneHot(tf.tensor1d([2, 0, 1, 5], 'int32'), 4, 1, 0, dtype));
      expect(t.dtype).toBe(dtype);
      const values = Array.from(t.dataSync());
      if (backend === 'cpu') expected[dtype] = values;
      else expect(values).toEqual(expected[dtype]);
      tf.dispose(t);
    }
    const scaled = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 3], 'int32'), 4, 0.9, 0.1 / 3, 'float32'));
    // Label smoothing style on/off values: equal up to float32 rounding of off + (on - off).
    const want = [0.1 / 3, 0.9, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.9];
    Array.from(scaled.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    tf.dispose(scaled);
    expect(tf.memory().numTensors).toBe(before);
  }
  expect(expected.float32).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
});
