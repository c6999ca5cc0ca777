/**
 * The one in-memory dataset type every loader returns and every sampler takes.
 * Pixels stay as bytes (NHWC, uint8) so a whole dataset costs 1 byte a value;
 * conversion to float32 tensors happens per batch (`imagesToTensor`, `batches`).
 */
export interface ImageDataset {
  /** Pixels, NHWC, row-major: image i starts at `i * H * W * C`. */
  images: Uint8Array;
  /** Class index of each image, in `[0, classes.length)`. */
  labels: Int32Array;
  /** `[N, H, W, C]`. */
  shape: [number, number, number, number];
  /** Class names in label order. */
  classes: string[];
}

/** Throw unless `ds` is a consistent ImageDataset; `where` names the caller in the message. */
export function assertDataset(ds: ImageDataset, where: string): void {
  if (!ds || !(ds.images instanceof Uint8Array) || !(ds.labels instanceof Int32Array) || !Array.isArray(ds.shape)) {
    throw new Error(`${where}: expected an ImageDataset { images: Uint8Array, labels: Int32Array, shape, classes }`);
  }
  const [n, h, w, c] = ds.shape;
  if (ds.shape.length !== 4 || ![n, h, w, c].every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(
      `${where}: dataset shape must be [N, H, W, C] of non-negative integers, got ${JSON.stringify(ds.shape)}`,
    );
  }
  if (ds.images.length !== n * h * w * c) {
    throw new Error(
      `${where}: dataset images hold ${ds.images.length} bytes, expected N*H*W*C = ${n * h * w * c} for shape ${JSON.stringify(ds.shape)}`,
    );
  }
  if (ds.labels.length !== n) {
    throw new Error(`${where}: dataset has ${ds.labels.length} labels for ${n} images`);
  }
}

/** Bytes of one image. */
export function imageSize(ds: ImageDataset): number {
  return ds.shape[1] * ds.shape[2] * ds.shape[3];
}

/** How many images each class has: `counts[label]`, length `classes.length`. */
export function classCounts(ds: ImageDataset): number[] {
  const counts = new Array<number>(ds.classes.length).fill(0);
  for (const label of ds.labels) counts[label]++;
  return counts;
}

/** Throw unless every label is an integer in [0, numClasses); names `source` and the first bad index. */
export function assertLabelsInRange(labels: ArrayLike<number>, numClasses: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new Error(`${source}: label ${label} at index ${i} is outside [0, ${numClasses})`);
    }
  }
}

/** Throw unless every index is an integer in [0, n); names the caller and the first bad position. */
export function assertIndices(indices: ArrayLike<number>, n: number, where: string): void {
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new Error(`${where}: indices[${k}] = ${i} is not an image index in [0, ${n})`);
    }
  }
}
