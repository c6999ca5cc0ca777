import { describe, expect, it } from 'vitest';
import { scaleLearningRate } from './scale-learning-rate';
import { warmupCosineSchedule } from './warmup-cosine';

describe('warmupCosineSchedule', () => {
  const schedule = warmupCosineSchedule({ baseLr: 3.2, warmupSteps: 10, totalSteps: 110, finalLr: 0.2 });

  it('warms up linearly from 0, then follows a half cosine to finalLr and stays there', () => {
    expect(schedule(0)).toBe(0);
    expect(schedule(5)).toBeCloseTo(1.6, 12);
    expect(schedule(10)).toBeCloseTo(3.2, 12);
    expect(schedule(60)).toBeCloseTo((3.2 + 0.2) / 2, 12);
    expect(schedule(110)).toBeCloseTo(0.2, 12);
    expect(schedule(500)).toBeCloseTo(0.2, 12);
  });

  it('matches the closed form at every step (BYOL learning_schedule with finalLr = 0)', () => {
    const byol = warmupCosineSchedule({ baseLr: 0.4, warmupSteps: 3, totalSteps: 20 });
    for (let k = 0; k <= 20; k++) {
      const expected = k < 3 ? (0.4 * k) / 3 : 0.4 * 0.5 * (1 + Math.cos((Math.PI * (k - 3)) / 17));
      expect(byol(k)).toBeCloseTo(expected, 14);
    }
    expect(byol.options).toEqual({ baseLr: 0.4, warmupSteps: 3, totalSteps: 20, finalLr: 0 });
  });

  it('without warmup starts at baseLr', () => {
    expect(warmupCosineSchedule({ baseLr: 1, warmupSteps: 0, totalSteps: 4 })(0)).toBe(1);
  });

  it('names bad options and steps', () => {
    expect(() => warmupCosineSchedule({ baseLr: -1, warmupSteps: 1, totalSteps: 2 })).toThrow(
      'warmupCosineSchedule: baseLr must be a finite number >= 0, got -1',
    );
    expect(() => warmupCosineSchedule({ baseLr: 1, warmupSteps: 5, totalSteps: 5 })).toThrow(
      'warmupCosineSchedule: totalSteps must be an integer > 5, got 5',
    );
    expect(() => warmupCosineSchedule({ baseLr: 1, warmupSteps: 1.5, totalSteps: 5 })).toThrow(
      'warmupSteps must be an integer >= 0, got 1.5',
    );
    expect(() => schedule(-1)).toThrow('warmupCosineSchedule: step must be a finite number >= 0, got -1');
  });
});

describe('scaleLearningRate', () => {
  it('is BYOL’s base × batch / 256', () => {
    expect(scaleLearningRate(0.2, 4096)).toBeCloseTo(3.2, 12);
    expect(scaleLearningRate(0.2, 256)).toBe(0.2);
  });

  it('names bad arguments', () => {
    expect(() => scaleLearningRate(0.2, 0)).toThrow('scaleLearningRate: batchSize must be an integer >= 1, got 0');
    expect(() => scaleLearningRate(Number.NaN, 8)).toThrow(
      'scaleLearningRate: base must be a finite number >= 0, got NaN',
    );
  });
});
