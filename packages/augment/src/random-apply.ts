import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Rng } from '@selfsup/runtime';
import { checkBatch } from './batch';
import { coinFlips, pickPerSample } from './per-sample-select';
import type { Transform } from './types';

/**
 * A transform that applies `op` to each image independently with probability `p`
 * (torchvision's `RandomApply` / `RandomHorizontalFlip` / `RandomGrayscale`, but one
 * coin per image rather than one per batch). Meant for cheap ops: `op` runs on the
 * whole batch and each image keeps the result or its original.
 */
export function randomApply(op: (images: tf.Tensor4D) => tf.Tensor4D, p: number, fn = 'randomApply'): Transform {
  checkNumber(fn, 'p', p, { min: 0, max: 1 });
  return (images: tf.Tensor4D, rng: Rng) => {
    checkBatch(fn, images);
    const coins = coinFlips(rng, images.shape[0], p);
    if (coins.every((c) => c === 0)) return tf.clone(images);
    return tf.tidy(() => pickPerSample(images, op(images), coins));
  };
}
