import type { ImageDataset } from '@selfsup/datasets';
import * as tf from '@tensorflow/tfjs-core';

/** Images NHWC: a dataset (uint8 pixels, 0-255) or a float tensor in [0, 1]. */
export type ImagesInput = ImageDataset | tf.Tensor4D;

function pixels(images: ImagesInput, fn: string): { data: ArrayLike<number>; shape: number[]; scale: number } {
  if (images instanceof tf.Tensor) {
    if (images.rank !== 4)
      throw new Error(`${fn}: images must be a 4-D tensor [N, H, W, C], got shape [${images.shape}]`);
    return { data: images.dataSync(), shape: images.shape, scale: 1 };
  }
  if (images && images.images instanceof Uint8Array && Array.isArray(images.shape) && images.shape.length === 4)
    return { data: images.images, shape: images.shape, scale: 1 / 255 };
  throw new Error(`${fn}: images must be an ImageDataset or a tf.Tensor4D [N, H, W, C]`);
}

/** Each image's mean colour: `[N, C]` row-major in [0, 1] (float64 sums). */
export function meanColour(images: ImagesInput): { data: Float64Array; n: number; dim: number } {
  const { data, shape, scale } = pixels(images, 'meanColour');
  const [n, h, w, c] = shape;
  const out = new Float64Array(n * c);
  const size = h * w * c;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < size; p++) out[i * c + (p % c)] += data[i * size + p];
    for (let ch = 0; ch < c; ch++) out[i * c + ch] *= scale / (h * w);
  }
  return { data: out, n, dim: c };
}

/**
 * Colour error of a reconstruction (Ericsson et al.'s inversion analysis): the mean squared
 * difference of the per-image mean colours of `a` and `b`, over images and channels.
 */
export function colourError(a: ImagesInput, b: ImagesInput): number {
  const ma = meanColour(a);
  const mb = meanColour(b);
  if (ma.n !== mb.n || ma.dim !== mb.dim)
    throw new Error(`colourError: a has ${ma.n} images of ${ma.dim} channels, b ${mb.n} of ${mb.dim}; they must match`);
  if (ma.n === 0) throw new Error('colourError: no images (N = 0)');
  let sum = 0;
  for (let i = 0; i < ma.data.length; i++) sum += (ma.data[i] - mb.data[i]) ** 2;
  return sum / ma.data.length;
}
