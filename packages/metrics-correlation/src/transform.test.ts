import { describe, expect, it } from 'vitest';
import { logit, transformMetric } from './transform';

describe('logit', () => {
  it('is log(p / (1 - p)): 0 at 1/2, odd around 1/2, inverse of the logistic function', () => {
    expect(logit(0.5)).toBe(0);
    for (const p of [0.001, 0.02, 0.3, 0.77]) {
      expect(logit(1 - p)).toBeCloseTo(-logit(p), 9);
      expect(1 / (1 + Math.exp(-logit(p)))).toBeCloseTo(p, 15);
    }
  });

  it('rejects values outside (0, 1)', () => {
    expect(() => logit(1)).toThrow('logit: p must be in (0, 1), got 1');
    expect(() => logit(-0.1)).toThrow('got -0.1');
  });
});

describe('transformMetric', () => {
  it('applies logit to fractions and to percentages alike', () => {
    expect(transformMetric([0.25, 0.9], 'logit')).toEqual([logit(0.25), logit(0.9)]);
    const percent = transformMetric([25, 90], 'logit', { percent: true });
    expect(percent[0]).toBeCloseTo(logit(0.25), 15);
    expect(percent[1]).toBeCloseTo(logit(0.9), 15);
  });

  it("negates errors so that larger is better, and 'none' keeps values", () => {
    expect(transformMetric([12.5, 30], 'negate')).toEqual([-12.5, -30]);
    expect(transformMetric({ byol: 3 }, 'none')).toEqual({ byol: 3 });
  });

  it('keeps the shape: a record of model -> value stays a record', () => {
    expect(transformMetric({ byol: 0.5, swav: 0.5 }, 'logit')).toEqual({ byol: 0, swav: 0 });
  });

  it('names the model and the value that leaves (0, 1) under logit', () => {
    expect(() => transformMetric({ byol: 0.7, swav: 76.1 }, 'logit', { name: 'imagenet' })).toThrow(
      "imagenet of model 'swav' is 76.1, but 'logit' needs a value in (0, 1) (pass { percent: true } for percentages)",
    );
    expect(() => transformMetric([50, 100], 'logit', { percent: true })).toThrow(
      "values[1] is 100, but 'logit' needs a value in (0, 100)",
    );
    expect(() => transformMetric([0.5, Number.NaN], 'none')).toThrow('values[1] must be a finite number, got NaN');
  });

  it('rejects an unknown transform', () => {
    expect(() => transformMetric([0.5], 'log' as never)).toThrow(
      `transform must be one of 'logit', 'negate', 'none', got "log"`,
    );
  });
});
