import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '@selfsup/testing';
import { loadAnalysisReference } from './analysis-reference';
import { calibrationFromConfidences, expectedCalibrationError } from './calibration';

const reference = loadAnalysisReference();

describe('expectedCalibrationError: Guo et al. 2017 against the NumPy reference', () => {
  for (const c of reference.calibration) {
    it(`${c.name}: same ECE, bin edges, counts, accuracies and confidences`, () => {
      const res = expectedCalibrationError(c.probs, c.labels, { bins: c.bins });
      expect(Math.abs(res.ece - c.expected.ece)).toBeLessThan(1e-12);
      expect(res.bins.map((b) => b.count)).toEqual(c.expected.bins.map((b) => b.count));
      for (const key of ['lo', 'hi', 'accuracy', 'confidence'] as const)
        expect(
          maxAbsDiff(
            res.bins.map((b) => b[key]),
            c.expected.bins.map((b) => b[key]),
          ),
        ).toBeLessThan(1e-12);
    });
  }

  it('defaults to 15 bins and takes { data, n, dim }', () => {
    const c = reference.calibration.find((x) => x.bins === 15)!;
    const flat = { data: Float64Array.from(c.probs.flat()), n: c.probs.length, dim: c.probs[0].length };
    const res = expectedCalibrationError(flat, c.labels);
    expect(res.bins).toHaveLength(15);
    expect(res.ece).toBeCloseTo(c.expected.ece, 12);
  });

  it('a perfectly calibrated and a maximally overconfident classifier', () => {
    // Confidence 1 and always right: ECE 0. Confidence 1 and always wrong: ECE 1.
    expect(
      expectedCalibrationError(
        [
          [1, 0],
          [0, 1],
        ],
        [0, 1],
      ).ece,
    ).toBe(0);
    expect(
      expectedCalibrationError(
        [
          [1, 0],
          [0, 1],
        ],
        [1, 0],
      ).ece,
    ).toBe(1);
    expect(calibrationFromConfidences([0.75, 0.75, 0.75, 0.75], [1, 1, 1, 0], 10).ece).toBe(0);
  });

  it('names the argument and the problem', () => {
    expect(() => expectedCalibrationError([[0.5, 0.5]], [2])).toThrow(/labels\[0\] is 2/);
    expect(() => expectedCalibrationError([[0.5, 0.5]], [0, 1])).toThrow(/labels has 2 entries but probs has 1/);
    expect(() => expectedCalibrationError([[1.5, 0]], [0])).toThrow(/probs\[0\]\[0\] is 1.5/);
    expect(() => expectedCalibrationError([[1, 0]], [0], { bins: 0 })).toThrow(
      /options.bins must be a positive integer/,
    );
    expect(() => expectedCalibrationError([], [])).toThrow(/n = 0/);
  });
});
