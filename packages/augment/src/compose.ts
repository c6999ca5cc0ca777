import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfsup/runtime';
import { describeValue } from './batch';
import type { Transform } from './types';

/**
 * Chain transforms left to right (torchvision's `Compose`), sharing one rng stream.
 * Intermediate batches are disposed as soon as the next step has run; the input is
 * never disposed and the result is always a new tensor.
 */
export function compose(transforms: readonly Transform[]): Transform {
  if (!Array.isArray(transforms) || !transforms.every((t) => typeof t === 'function')) {
    throw new Error(
      `compose: transforms must be an array of functions (images, rng) => images, got ${describeValue(transforms)}`,
    );
  }
  return (images: tf.Tensor4D, rng: Rng) => {
    let current = images;
    for (const transform of transforms) {
      const next = transform(current, rng);
      if (current !== images && next !== current) current.dispose();
      current = next;
    }
    return current === images ? (tf.clone(images) as tf.Tensor4D) : current;
  };
}
