import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { collapseRatio, projectionStd } from './collapse';

describe('projectionStd', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('is near 1/sqrt(d) for spread-out projections and 0 for collapsed ones', () => {
    const d = 64;
    const spread = tf.randomNormal([512, d], 0, 1, 'float32', 3) as tf.Tensor2D;
    const collapsed = tf.tile(tf.randomNormal([1, d], 0, 1, 'float32', 4), [512, 1]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const healthy = projectionStd(spread).arraySync() as number;
    const dead = projectionStd(collapsed).arraySync() as number;
    // Scalars read back: two more tensors, nothing else left behind.
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(collapseRatio(healthy, d)).toBeGreaterThan(0.95);
    expect(collapseRatio(healthy, d)).toBeLessThan(1.05);
    expect(dead).toBeLessThan(1e-4);
    tf.dispose([spread, collapsed]);
  });

  it('names the bad shape', () => {
    expect(() => projectionStd(tf.zeros([1, 4]) as tf.Tensor2D)).toThrow(
      'projectionStd: z must be [N >= 2, D], got shape [1,4]',
    );
  });
});
