import { assertDataset, type ImageDataset } from './image-dataset';

/** Repeat the one channel of a grayscale dataset three times, so RGB augmentations and backbones apply (RGB input is returned as is). */
export function toRgb(ds: ImageDataset): ImageDataset {
  assertDataset(ds, 'toRgb');
  const [n, h, w, c] = ds.shape;
  if (c === 3) return ds;
  if (c !== 1) throw new Error(`toRgb: expected 1 or 3 channels, got ${c}`);
  const images = new Uint8Array(n * h * w * 3);
  for (let i = 0; i < ds.images.length; i++) images.fill(ds.images[i], 3 * i, 3 * i + 3);
  return { ...ds, images, shape: [n, h, w, 3] };
}
