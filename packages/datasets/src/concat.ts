import { assertDataset, type ImageDataset } from './image-dataset';

/**
 * Join datasets end to end. They must share image size and class list, since a
 * label means a class name only relative to its dataset's `classes`.
 */
export function concat(...datasets: ImageDataset[]): ImageDataset {
  if (datasets.length === 0) throw new Error('concat: expected at least one dataset, got none');
  datasets.forEach((ds, k) => assertDataset(ds, `concat (dataset ${k})`));
  const [, h, w, c] = datasets[0].shape;
  const classes = datasets[0].classes;
  datasets.forEach((ds, k) => {
    const [, hk, wk, ck] = ds.shape;
    if (hk !== h || wk !== w || ck !== c) {
      throw new Error(`concat: dataset ${k} has images ${hk}x${wk}x${ck}, expected ${h}x${w}x${c} like dataset 0`);
    }
    if (ds.classes.length !== classes.length || ds.classes.some((name, j) => name !== classes[j])) {
      throw new Error(
        `concat: dataset ${k} has classes ${JSON.stringify(ds.classes)}, expected ${JSON.stringify(classes)} like dataset 0`,
      );
    }
  });
  const n = datasets.reduce((sum, ds) => sum + ds.shape[0], 0);
  const images = new Uint8Array(n * h * w * c);
  const labels = new Int32Array(n);
  let offset = 0;
  for (const ds of datasets) {
    images.set(ds.images, offset * h * w * c);
    labels.set(ds.labels, offset);
    offset += ds.shape[0];
  }
  return { images, labels, shape: [n, h, w, c], classes: classes.slice() };
}
