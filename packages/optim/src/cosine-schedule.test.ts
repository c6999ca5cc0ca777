import { describe, expect, it } from 'vitest';
import { cosineSchedule } from './cosine-schedule';
import { warmupCosineSchedule } from './warmup-cosine';

describe('cosineSchedule', () => {
  it('goes from start to end along half a cosine and holds end after totalSteps', () => {
    expect(cosineSchedule(0, 100, 0.2, 0)).toBe(0.2);
    expect(cosineSchedule(50, 100, 0.2, 0)).toBeCloseTo(0.1, 15);
    expect(cosineSchedule(100, 100, 0.2, 0)).toBe(0);
    expect(cosineSchedule(250, 100, 0.2, 0)).toBe(0);
    // Rising, as BYOL's τ: 0.996 → 1; and a non-integer length (seconds).
    expect(cosineSchedule(0, 10, 0.996, 1)).toBe(0.996);
    expect(cosineSchedule(10, 10, 0.996, 1)).toBe(1);
    expect(cosineSchedule(1.5, 3, 0.4, 0)).toBeCloseTo(0.2, 15);
  });

  it('is the decay of warmupCosineSchedule to the last bit', () => {
    const schedule = warmupCosineSchedule({ baseLr: 0.3, warmupSteps: 7, totalSteps: 103, finalLr: 0.001 });
    for (let step = 7; step <= 110; step++) expect(schedule(step)).toBe(cosineSchedule(step - 7, 96, 0.3, 0.001));
  });

  it('names a bad argument', () => {
    expect(() => cosineSchedule(1, 0, 1, 0)).toThrow('cosineSchedule: totalSteps must be a finite number > 0, got 0');
    expect(() => cosineSchedule(-1, 10, 1, 0)).toThrow('cosineSchedule: step must be a finite number >= 0, got -1');
  });
});
