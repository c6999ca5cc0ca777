import { checkNumber } from '@selfsup/runtime';

/**
 * The one cosine schedule (as lightly's `cosine_schedule`): from `start` at step 0
 * to `end` at `totalSteps`, `end − (end − start)(cos(π·s/T) + 1)/2`, held at `end`
 * after. It drives the learning rate (decay: start = peak, end = floor), BYOL's
 * target decay τ (rise: start = τ_base, end = 1) and fine-tuning. `totalSteps`
 * may be any positive length (steps, epochs, seconds).
 */
export function cosineSchedule(step: number, totalSteps: number, start: number, end: number): number {
  checkNumber('cosineSchedule', 'totalSteps', totalSteps, { min: 0, minExclusive: true });
  checkNumber('cosineSchedule', 'step', step, { min: 0 });
  checkNumber('cosineSchedule', 'start', start);
  checkNumber('cosineSchedule', 'end', end);
  const progress = Math.min(step, totalSteps) / totalSteps;
  return end - ((end - start) * (Math.cos(Math.PI * progress) + 1)) / 2;
}
