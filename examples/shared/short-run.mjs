// A few hundred steps instead of hundreds of epochs: every method example multiplies its
// paper's base learning rate by this factor (then scales it by batch / 256 as the papers do),
// as @selfsup/byol's short-run recipe does for BYOL (0.2 -> 2.0; see ../byol-cifar10/README.md:
// at the paper's rate the weights barely moved in a few hundred steps).
import { LARS, warmupCosineSchedule } from '@selfsup/optim';

export const SHORT_RUN_LR_FACTOR = 10;

/** `base × factor × batch / 256` (the papers' linear scaling rule). */
export const shortRunLr = (base, batchSize) => (base * SHORT_RUN_LR_FACTOR * batchSize) / 256;

/** Linear warm-up over the first 10% of the steps (the papers: 10 epochs), then cosine to 0. */
export const warmupSteps = (steps) => Math.min(steps - 1, Math.round(0.1 * steps));

/** LARS (momentum 0.9, eta 1e-3, biases and BN excluded) on the short-run warm-up + cosine schedule. */
export function shortRunLars({ baseLr, weightDecay, batchSize, steps }) {
  const schedule = warmupCosineSchedule({
    baseLr: shortRunLr(baseLr, batchSize),
    warmupSteps: warmupSteps(steps),
    totalSteps: steps,
  });
  return new LARS({ learningRate: schedule, weightDecay });
}
