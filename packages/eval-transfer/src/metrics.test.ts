import { describe, expect, it } from 'vitest';
import { averagePrecision11, map11, meanPerClassAccuracy, top1 } from './metrics';

describe('top1 and meanPerClassAccuracy', () => {
  it('count hits overall and per class', () => {
    const labels = [0, 0, 0, 0, 1, 1];
    const predictions = [0, 0, 0, 0, 0, 1];
    expect(top1(predictions, labels)).toBeCloseTo(5 / 6, 12);
    // class 0: 4/4, class 1: 1/2
    expect(meanPerClassAccuracy(predictions, labels)).toBeCloseTo(0.75, 12);
  });

  it('reject mismatched or empty inputs', () => {
    expect(() => top1([0, 1], [0])).toThrow(/top1: 2 predictions but 1 labels/);
    expect(() => meanPerClassAccuracy([], [])).toThrow(/no predictions/);
  });
});

describe('averagePrecision11', () => {
  it('interpolates precision at 11 recall levels (hand-computed)', () => {
    // Curve: (r 0, p 1), (0.5, 1), (0.5, 0.5), (1, 2/3), (1, 0.5).
    // t = 0..0.5 -> 1 (6 levels); t = 0.6..1 -> 2/3 (5 levels).
    expect(averagePrecision11([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0])).toBeCloseTo((6 + 5 * (2 / 3)) / 11, 12);
  });

  it('treats tied scores as one threshold', () => {
    // Ties at the top: one point (0.5, 0.5), then (1, 2/3); t = 0 also sees (0, 1).
    expect(averagePrecision11([1, 1, 0], [1, 0, 1])).toBeCloseTo((1 + 10 * (2 / 3)) / 11, 12);
  });

  it('is 1 for a perfect ranking and rejects a class with no positives', () => {
    expect(averagePrecision11([3, 2, 1, 0], [true, true, false, false])).toBeCloseTo(1, 12);
    expect(() => averagePrecision11([1, 2], [0, 0])).toThrow(/no positive example/);
  });

  it('map11 averages the per-class APs', () => {
    const scores = [
      [0.9, 0.1],
      [0.8, 0.9],
      [0.7, 0.2],
      [0.6, 0.3],
    ];
    const targets = [
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ];
    const perClass = [
      averagePrecision11([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]),
      averagePrecision11([0.1, 0.9, 0.2, 0.3], [0, 1, 0, 1]),
    ];
    expect(map11(scores, targets)).toBeCloseTo((perClass[0] + perClass[1]) / 2, 12);
    expect(() =>
      map11(
        [[1, 2], [1]],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/row 1 has 1 classes, expected 2/);
  });
});
