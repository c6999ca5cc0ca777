import * as tf from '@tensorflow/tfjs-core';
import { assertDataset, assertIndices, imageSize, type ImageDataset } from './image-dataset';

/**
 * Bytes of the images at `indices` (all when omitted) scaled to [0, 1] as
 * float32, ready for `tf.tensor4d`. Division by 255 in double precision rounds
 * to the same float32 as torchvision's `ToTensor` (uint8 / 255 in float32).
 */
export function imagesToFloat32(ds: ImageDataset, indices?: ArrayLike<number>): Float32Array {
  if (!indices) {
    const out = new Float32Array(ds.images.length);
    for (let j = 0; j < out.length; j++) out[j] = ds.images[j] / 255;
    return out;
  }
  assertIndices(indices, ds.shape[0], 'imagesToTensor');
  const size = imageSize(ds);
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * size;
    const dst = k * size;
    for (let j = 0; j < size; j++) out[dst + j] = ds.images[src + j] / 255;
  }
  return out;
}

/** Images as a float32 `[n, H, W, C]` tensor in [0, 1] (the caller disposes it). */
export function imagesToTensor(ds: ImageDataset, indices?: ArrayLike<number>): tf.Tensor4D {
  assertDataset(ds, 'imagesToTensor');
  const [n, h, w, c] = ds.shape;
  return tf.tensor4d(imagesToFloat32(ds, indices), [indices ? indices.length : n, h, w, c], 'float32');
}

/** Labels at `indices` (all when omitted) as an int32 tensor (the caller disposes it). */
export function labelsToTensor(ds: ImageDataset, indices?: ArrayLike<number>): tf.Tensor1D {
  assertDataset(ds, 'labelsToTensor');
  if (!indices) return tf.tensor1d(ds.labels.slice(), 'int32');
  assertIndices(indices, ds.shape[0], 'labelsToTensor');
  return tf.tensor1d(
    Int32Array.from(indices, (i) => ds.labels[i]),
    'int32',
  );
}
