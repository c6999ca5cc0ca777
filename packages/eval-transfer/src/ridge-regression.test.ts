import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '@selfsup/testing';
import { loadAnalysisReference } from './analysis-reference';
import { r2Score } from './r2-score';
import { ridgeRegression } from './ridge-regression';

const reference = loadAnalysisReference();

describe('ridgeRegression and r2Score against scikit-learn (Ridge, r2_score) on its digits', () => {
  for (const c of reference.ridge) {
    it(`${c.name} (alpha ${c.alpha}): coefficients, intercept, predictions and R²`, () => {
      const model = ridgeRegression(c.trainX, c.trainY, { alpha: c.alpha });
      const scale = Math.max(1, ...c.coef.flat().map(Math.abs));
      expect(maxAbsDiff(model.coef, c.coef.flat())).toBeLessThan(1e-8 * scale);
      expect(maxAbsDiff(model.intercept, c.intercept)).toBeLessThan(1e-8 * scale);
      const pred = model.predict(c.testX);
      expect(maxAbsDiff(pred, c.predictions.flat())).toBeLessThan(1e-8);
      const r2 = r2Score(c.testY.flat(), pred, 3);
      expect(Math.abs(r2.r2 - c.r2)).toBeLessThan(1e-8);
      expect(maxAbsDiff(r2.perOutput, c.r2PerOutput)).toBeLessThan(1e-8);
    });
  }

  it('r2Score: a constant target scores 1 when hit exactly and 0 otherwise (as scikit-learn)', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2]).r2).toBe(1);
    expect(r2Score([2, 2, 2], [2, 2, 3]).r2).toBe(0);
    expect(r2Score([1, 2, 3], [1, 2, 3]).r2).toBe(1);
  });

  it('names the argument and the problem', () => {
    expect(() => ridgeRegression([[1], [2]], [[1], [2]], { alpha: 0 })).toThrow(
      /options.alpha must be a finite number > 0/,
    );
    expect(() => ridgeRegression([[1], [2]], [[1]])).toThrow(/Y has 1 rows of 1 targets; expected 2 rows/);
    expect(() => r2Score([1, 2], [1])).toThrow(/same non-zero length/);
  });
});
