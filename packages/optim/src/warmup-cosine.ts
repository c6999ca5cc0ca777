import { checkNumber } from '@selfsup/runtime';
import { cosineSchedule } from './cosine-schedule';

export interface WarmupCosineOptions {
  /** Peak learning rate, reached at the end of the warmup. */
  baseLr: number;
  /** Steps of linear warmup from 0 (BYOL: 10 epochs). 0 starts the cosine immediately. */
  warmupSteps: number;
  /** Total steps; the cosine reaches `finalLr` here and stays there. */
  totalSteps: number;
  /** Learning rate at the end of the schedule (default 0, as BYOL). */
  finalLr?: number;
}

/** A learning rate as a pure function of the number of optimizer steps already taken. */
export interface WarmupCosineSchedule {
  (step: number): number;
  /** The options it was built from, so an optimizer holding it can be serialised. */
  readonly options: Required<WarmupCosineOptions>;
}

const FN = 'warmupCosineSchedule';

/**
 * Linear warmup from 0 to `baseLr` over `warmupSteps`, then cosine decay to
 * `finalLr` at `totalSteps` (BYOL's `learning_schedule` in `byol/utils/schedules.py`,
 * generalised with a floor `finalLr` as in lightly's `cosine_schedule`).
 */
export function warmupCosineSchedule(options: WarmupCosineOptions): WarmupCosineSchedule {
  const baseLr = checkNumber(FN, 'baseLr', options?.baseLr, { min: 0 });
  const warmupSteps = checkNumber(FN, 'warmupSteps', options.warmupSteps, { min: 0, integer: true });
  const totalSteps = checkNumber(FN, 'totalSteps', options.totalSteps, {
    min: warmupSteps,
    minExclusive: true,
    integer: true,
  });
  const finalLr = checkNumber(FN, 'finalLr', options.finalLr ?? 0, { min: 0 });
  const decaySteps = totalSteps - warmupSteps;
  const schedule = (step: number): number => {
    checkNumber(FN, 'step', step, { min: 0 });
    if (step < warmupSteps) return (baseLr * step) / warmupSteps;
    return cosineSchedule(step - warmupSteps, decaySteps, baseLr, finalLr);
  };
  return Object.assign(schedule, { options: { baseLr, warmupSteps, totalSteps, finalLr } });
}
