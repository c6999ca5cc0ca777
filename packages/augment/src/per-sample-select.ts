import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfsup/runtime';

/**
 * Per image, `changed[i]` where `mask[i]` is 1 and `original[i]` where it is 0, exactly
 * (`x * 1 + y * 0` for finite pixels). For cheap ops: run them on the whole batch and pick.
 */
export function pickPerSample(original: tf.Tensor4D, changed: tf.Tensor4D, mask: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = original.shape;
    const m = tf.tensor2d(Float32Array.from(mask), [n, 1]);
    const rows = (x: tf.Tensor4D) => tf.reshape(x, [n, h * w * c]);
    const picked = tf.add(tf.mul(rows(original), tf.sub(1, m)), tf.mul(rows(changed), m));
    return tf.reshape(picked, [n, h, w, c]) as tf.Tensor4D;
  });
}

/**
 * Apply `op` only to the images with `mask[i] = 1` and keep the others exactly: the
 * chosen images are gathered into a smaller batch and written back with `scatterND`
 * (both fast on wasm, unlike broadcasting selects). For costly ops (hue, blur) applied to
 * a fraction of the batch.
 */
export function applyToSubset(
  images: tf.Tensor4D,
  mask: ArrayLike<number>,
  op: (subset: tf.Tensor4D, indices: Int32Array) => tf.Tensor4D,
): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const indices = Int32Array.from(Array.from(mask).flatMap((m, i) => (m ? [i] : [])));
  if (indices.length === 0) return tf.clone(images);
  if (indices.length === n) return tf.tidy(() => op(images, indices));
  return tf.tidy(() => {
    const changed = tf.reshape(op(tf.gather(images, indices), indices), [indices.length, h * w * c]);
    const scattered = tf.scatterND(tf.tensor2d(indices, [indices.length, 1], 'int32'), changed, [n, h * w * c]);
    const keep = tf.tensor2d(
      Float32Array.from(mask, (m) => (m ? 0 : 1)),
      [n, 1],
    );
    return tf.reshape(tf.add(tf.mul(tf.reshape(images, [n, h * w * c]), keep), scattered), [n, h, w, c]) as tf.Tensor4D;
  });
}

/** Per-image coins: 1 with probability `p`, else 0. */
export function coinFlips(rng: Rng, n: number, p: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < p ? 1 : 0;
  return out;
}
