import { assertDataset, assertIndices, imageSize, type ImageDataset } from './image-dataset';

/** The images at `indices` (in that order, repeats allowed) as a new dataset with copied bytes. */
export function select(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  assertDataset(ds, 'select');
  const [n, h, w, c] = ds.shape;
  const size = imageSize(ds);
  const images = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  assertIndices(indices, n, 'select');
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    images.set(ds.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = ds.labels[i];
  }
  return { images, labels, shape: [indices.length, h, w, c], classes: ds.classes.slice() };
}
