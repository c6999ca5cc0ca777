import { checkNumber } from '@selfsup/runtime';

/**
 * BYOL's linear scaling rule (Grill et al. 2020, App. C; Goyal et al. 2017):
 * `lr = base × batchSize / 256`, e.g. `scaleLearningRate(0.2, 4096) = 3.2`.
 */
export function scaleLearningRate(base: number, batchSize: number): number {
  checkNumber('scaleLearningRate', 'base', base, { min: 0 });
  checkNumber('scaleLearningRate', 'batchSize', batchSize, { min: 1, integer: true });
  return (base * batchSize) / 256;
}
