import { checkPositiveInteger, createRng } from '@selfsup/runtime';
import { indicesByClass } from './class-indices';
import { assertDataset, type ImageDataset } from './image-dataset';
import { select } from './select';

/**
 * `perClass` images of every class, drawn without replacement with a seeded
 * shuffle (so the same seed always picks the same images). The result keeps the
 * original order of the picked images. A class with fewer images is an error
 * rather than a silently unbalanced subset.
 */
export function subset(ds: ImageDataset, perClass: number, seed: number): ImageDataset {
  assertDataset(ds, 'subset');
  checkPositiveInteger('subset', 'perClass', perClass);
  const rng = createRng(seed);
  const picked: number[] = [];
  indicesByClass(ds.labels, ds.classes.length).forEach((indices, label) => {
    if (indices.length < perClass) {
      throw new Error(
        `subset: class ${label} ('${ds.classes[label]}') has ${indices.length} images, fewer than perClass = ${perClass}`,
      );
    }
    picked.push(...rng.shuffle(indices).slice(0, perClass));
  });
  return select(
    ds,
    picked.sort((a, b) => a - b),
  );
}
