import * as tf from '@tensorflow/tfjs-core';
import { createBackbone } from '@selfsup/backbones';
import { type Encoder, initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '@selfsup/testing';
import { loadAnalysisReference } from './analysis-reference';
import { saliencyConcentration, saliencyMaps, saliencyOverlap } from './saliency';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('saliencyOverlap against NumPy (top-k IoU)', () => {
  const { saliency } = loadAnalysisReference();
  for (const c of saliency.cases) {
    it(`top ${c.fraction * 100}%: the per-image IoUs and their mean`, () => {
      const a = { data: saliency.a, shape: saliency.shape };
      const b = tf.tensor3d(saliency.b, saliency.shape as [number, number, number]);
      const res = saliencyOverlap(a, b, { topFraction: c.fraction });
      expect(maxAbsDiff(res.perImage, c.perImage)).toBeLessThan(1e-12);
      expect(Math.abs(res.iou - c.iou)).toBeLessThan(1e-12);
      expect(saliencyOverlap(a, a, { topFraction: c.fraction }).iou).toBe(1);
      b.dispose();
    });
  }

  it("saliencyConcentration: the top pixels' share of the total, fraction for a uniform map", () => {
    const maps = tf.tensor3d([1, 1, 1, 1, 0, 0, 0, 6], [2, 2, 2]);
    // Top 1 of 4: 1/4 of a uniform map, all of a one-pixel map.
    expect(saliencyConcentration(maps, { topFraction: 0.25 })).toBeCloseTo((0.25 + 1) / 2, 12);
    expect(() => saliencyConcentration(maps, { topFraction: 2 })).toThrow(/options.topFraction/);
    maps.dispose();
  });

  it('names the argument and the problem', () => {
    const a = { data: [1, 2, 3, 4], shape: [1, 2, 2] };
    expect(() => saliencyOverlap(a, { data: [1, 2], shape: [1, 1, 2] })).toThrow(
      /a has shape \[1,2,2\] and b \[1,1,2\]/,
    );
    expect(() => saliencyOverlap(a, a, { topFraction: 0 })).toThrow(/options.topFraction/);
  });
});

describe('saliencyMaps', () => {
  it('equals the analytic gradient |Wᵀ W x| (max over channels) for a linear encoder', () => {
    const [n, h, w, c, d] = [2, 4, 5, 3, 6];
    const W = tf.randomNormal([h * w * c, d], 0, 1, 'float32', 7) as tf.Tensor2D;
    const linear = { apply: (x: tf.Tensor4D) => tf.matMul(tf.reshape(x, [x.shape[0], -1]), W) } as unknown as Encoder;
    const x = tf.randomUniform([n, h, w, c], 0, 1, 'float32', 8) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const maps = saliencyMaps(linear, x);
    expect(maps.shape).toEqual([n, h, w]);
    const expected = tf.tidy(() => {
      const g = tf.matMul(tf.matMul(tf.reshape(x, [n, -1]), W), W, false, true);
      return tf.max(tf.abs(tf.reshape(g, [n, h, w, c])), 3);
    });
    expect(maxAbsDiff(maps, expected)).toBeLessThan(1e-4);
    tf.dispose([maps, expected]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([W, x]);
  });

  it('a ConvNet: one non-negative map per image, and two encoders overlap less than one with itself', () => {
    const a = createBackbone({ arch: 'convnet', widthMultiplier: 0.25, seed: 0 });
    const b = createBackbone({ arch: 'convnet', widthMultiplier: 0.25, seed: 1 });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const [ma, mb] = [saliencyMaps(a, x), saliencyMaps(b, x)];
    expect(ma.shape).toEqual([2, 16, 16]);
    expect(tf.min(ma).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(saliencyOverlap(ma, ma).iou).toBe(1);
    expect(saliencyOverlap(ma, mb).iou).toBeLessThan(1);
    tf.dispose([ma, mb, x]);
    a.dispose();
    b.dispose();
  });
});
