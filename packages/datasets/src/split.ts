import { createRng } from '@selfsup/runtime';
import { indicesByClass } from './class-indices';
import { assertDataset, type ImageDataset } from './image-dataset';
import { select } from './select';

/**
 * Stratified train/val split: from each class, `round(count * fraction)` images
 * (seeded choice) go to `val`, the rest to `train`, so both keep the class
 * proportions (as scikit-learn's `train_test_split(stratify=...)`). Both keep
 * the original image order.
 */
export function split(ds: ImageDataset, fraction: number, seed: number): { train: ImageDataset; val: ImageDataset } {
  assertDataset(ds, 'split');
  if (!(fraction > 0 && fraction < 1)) {
    throw new Error(`split: fraction (the share of each class that goes to val) must be in (0, 1), got ${fraction}`);
  }
  const rng = createRng(seed);
  const train: number[] = [];
  const val: number[] = [];
  for (const indices of indicesByClass(ds.labels, ds.classes.length)) {
    const nVal = Math.round(indices.length * fraction);
    rng.shuffle(indices);
    val.push(...indices.slice(0, nVal));
    train.push(...indices.slice(nVal));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: select(ds, train.sort(ascending)), val: select(ds, val.sort(ascending)) };
}
