import * as tf from '@tensorflow/tfjs-core';
import { describeValue, onBatch } from './batch';
import type { Image } from './types';

/** ImageNet channel statistics used by torchvision's pretrained models (and BYOL). */
export const IMAGENET_MEAN: readonly number[] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly number[] = [0.229, 0.224, 0.225];

/** `TF.normalize`: `(x - mean[c]) / std[c]` per channel. */
export function normalize<T extends Image>(img: T, mean: ArrayLike<number>, std: ArrayLike<number>): T {
  return onBatch('normalize', img, (batch) => {
    const c = batch.shape[3];
    const m = Array.from(mean ?? []);
    const s = Array.from(std ?? []);
    if (m.length !== c || m.some((v) => !Number.isFinite(v))) {
      throw new Error(`normalize: mean must hold ${c} finite numbers (one per channel), got ${describeValue(mean)}`);
    }
    if (s.length !== c || s.some((v) => !(Number.isFinite(v) && v !== 0))) {
      throw new Error(`normalize: std must hold ${c} non-zero numbers (one per channel), got ${describeValue(std)}`);
    }
    return tf.div(tf.sub(batch, tf.tensor1d(m)), tf.tensor1d(s)) as tf.Tensor4D;
  });
}
