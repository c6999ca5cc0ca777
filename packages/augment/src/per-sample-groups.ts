import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfsup/runtime';

/**
 * Which op each image of a batch gets: `group[i]` is an index into the ops, or -1
 * to leave image i untouched.
 */
export type GroupAssignment = ArrayLike<number>;

/** `[rows.length, n]` matrix with a single 1 per row at column `rows[r]`. */
function selectionMatrix(rows: readonly number[], n: number, transpose: boolean): tf.Tensor2D {
  const m = rows.length;
  const data = new Float32Array(m * n);
  rows.forEach((col, r) => (data[transpose ? col * m + r : r * n + col] = 1));
  return tf.tensor2d(data, transpose ? [n, m] : [m, n]);
}

/** Per-image 0/1 column `[N, 1]`. */
function maskColumn(mask: ArrayLike<number>): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(mask), [mask.length, 1]);
}

/**
 * Apply `ops[g]` to the images assigned to group g and pass the others through
 * unchanged. Each op sees only its own images with their batch indices, so skipped
 * images cost nothing. Rows are gathered and put back with 0/1 matrix products
 * (exact for finite values, and much faster than gather/scatter kernels on wasm).
 * Ops must keep the image shape.
 */
export function applyByGroup(
  batch: tf.Tensor4D,
  group: GroupAssignment,
  ops: ReadonlyArray<(images: tf.Tensor4D, indices: number[]) => tf.Tensor4D>,
): tf.Tensor4D {
  const [n, h, w, c] = batch.shape;
  if (group.length !== n) throw new Error(`applyByGroup: ${group.length} group entries for a batch of ${n}`);
  const members: number[][] = ops.map(() => []);
  const untouched = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (group[i] < 0) untouched[i] = 1;
    else members[group[i]].push(i);
  }
  const whole = members.findIndex((m) => m.length === n);
  if (whole >= 0) return tf.tidy(() => ops[whole](batch, members[whole]));
  return tf.tidy(() => {
    const rows = tf.reshape(batch, [n, h * w * c]);
    let out = tf.mul(rows, maskColumn(untouched));
    members.forEach((indices, g) => {
      if (indices.length === 0) return;
      const subset = tf.reshape(tf.matMul(selectionMatrix(indices, n, false), rows), [indices.length, h, w, c]);
      const result = tf.reshape(ops[g](subset as tf.Tensor4D, indices), [indices.length, h * w * c]);
      out = tf.add(out, tf.matMul(selectionMatrix(indices, n, true), result));
    });
    return tf.reshape(out, [n, h, w, c]) as tf.Tensor4D;
  });
}

/**
 * Per image, `changed[i]` where `mask[i]` is 1 and `original[i]` where it is 0, exactly
 * (`x * 1 + y * 0`). For cheap ops it is faster to run them on the whole batch and
 * pick than to gather the chosen images.
 */
export function pickPerSample(original: tf.Tensor4D, changed: tf.Tensor4D, mask: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = original.shape;
    const m = maskColumn(mask);
    const rows = (x: tf.Tensor4D) => tf.reshape(x, [n, h * w * c]);
    const picked = tf.add(tf.mul(rows(original), tf.sub(1, m)), tf.mul(rows(changed), m));
    return tf.reshape(picked, [n, h, w, c]) as tf.Tensor4D;
  });
}

/** Per-image coins: 1 with probability `p`, else 0. */
export function coinFlips(rng: Rng, n: number, p: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < p ? 1 : 0;
  return out;
}
