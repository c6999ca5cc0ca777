/**
 * BYOL's target decay rate (Grill et al. 2020, §3.2; `target_ema` in
 * `byol/utils/schedules.py`): `τ = 1 − (1 − τ_base)(cos(π k / K) + 1) / 2`,
 * rising from `baseTau` at step 0 to 1 at `totalSteps`. `step` is the number of
 * optimizer steps already taken; steps past `totalSteps` stay at 1, as BYOL clamps them.
 * Computed in float64 so it is exact to the last digit of the reference table.
 */
export function cosineTau(step: number, totalSteps: number, baseTau = 0.996): number {
  if (typeof totalSteps !== 'number' || !Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new Error(`cosineTau: totalSteps must be an integer >= 1, got ${String(totalSteps)}`);
  }
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new Error(`cosineTau: step must be a finite number >= 0, got ${String(step)}`);
  }
  if (typeof baseTau !== 'number' || !(baseTau >= 0 && baseTau <= 1)) {
    throw new Error(`cosineTau: baseTau must be a number in [0, 1], got ${String(baseTau)}`);
  }
  const progress = Math.min(step, totalSteps) / totalSteps;
  return 1 - ((1 - baseTau) * (Math.cos(Math.PI * progress) + 1)) / 2;
}
