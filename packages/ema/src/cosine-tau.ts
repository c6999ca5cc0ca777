import { cosineSchedule } from '@selfsup/optim';
import { checkNumber } from '@selfsup/runtime';

/**
 * BYOL's target decay rate (Grill et al. 2020, §3.2; `target_ema` in
 * `byol/utils/schedules.py`): `τ = 1 − (1 − τ_base)(cos(π k / K) + 1) / 2`,
 * rising from `baseTau` at step 0 to 1 at `totalSteps` — optim's `cosineSchedule`
 * from `baseTau` to 1. `step` is the number of optimizer steps already taken; steps
 * past `totalSteps` stay at 1, as BYOL clamps them. Float64, exact to the last digit
 * of the reference table.
 */
export function cosineTau(step: number, totalSteps: number, baseTau = 0.996): number {
  checkNumber('cosineTau', 'totalSteps', totalSteps, { min: 1, integer: true });
  checkNumber('cosineTau', 'step', step, { min: 0 });
  checkNumber('cosineTau', 'baseTau', baseTau, { min: 0, max: 1 });
  return cosineSchedule(step, totalSteps, baseTau, 1);
}
