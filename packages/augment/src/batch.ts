import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@selfsup/runtime';
import type { Image, PerSample } from './types';

// One error-value formatter for every package (runtime owns the argument checks).
export { describeValue } from '@selfsup/runtime';

/** Check that `img` is `[H, W, C]` or `[N, H, W, C]`, with one of `channels` channels if given. */
export function checkImage(fn: string, img: unknown, channels?: readonly number[]): void {
  if (!(img instanceof tf.Tensor) || (img.rank !== 3 && img.rank !== 4)) {
    throw new Error(`${fn}: img must be a tensor [H, W, C] or [N, H, W, C], got ${describeValue(img)}`);
  }
  const c = img.shape[img.rank - 1];
  if (channels && !channels.includes(c)) {
    throw new Error(
      `${fn}: img must have ${channels.join(' or ')} channels (NHWC), got shape [${img.shape.join(', ')}]`,
    );
  }
}

/**
 * Run a batch op on one image or a batch: a `[H, W, C]` image becomes a batch of
 * one and comes back as `[H', W', C']`, so every op is written once, for batches.
 */
export function onBatch<T extends Image>(
  fn: string,
  img: T,
  op: (batch: tf.Tensor4D) => tf.Tensor4D,
  channels?: readonly number[],
): T {
  checkImage(fn, img, channels);
  return tf.tidy(() => {
    if (img.rank === 4) return op(img as tf.Tensor4D) as T;
    const out = op(tf.expandDims(img, 0) as tf.Tensor4D);
    return tf.squeeze(out, [0]) as T;
  });
}

/**
 * A scalar or per-sample parameter as a `[N, 1, 1, 1]` (or `[1, 1, 1, 1]`)
 * tensor that broadcasts over a batch `[N, H, W, C]`.
 */
export function perSampleTensor(fn: string, name: string, value: PerSample, n: number): tf.Tensor4D {
  let t: tf.Tensor;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${fn}: ${name} must be a finite number, got ${value}`);
    return tf.reshape(tf.scalar(value), [1, 1, 1, 1]) as tf.Tensor4D;
  }
  if (value instanceof tf.Tensor) {
    if (value.rank !== 1)
      throw new Error(`${fn}: ${name} must be a number or a [N] tensor, got ${describeValue(value)}`);
    t = tf.cast(value, 'float32');
  } else if (value != null && typeof (value as ArrayLike<number>).length === 'number') {
    const arr = Float32Array.from(value as ArrayLike<number>);
    if (arr.some((v) => !Number.isFinite(v))) {
      throw new Error(`${fn}: ${name} must hold finite numbers, got ${describeValue(value)}`);
    }
    t = tf.tensor1d(arr);
  } else {
    throw new Error(`${fn}: ${name} must be a number, an array or a [N] tensor, got ${describeValue(value)}`);
  }
  if (t.shape[0] !== n) {
    throw new Error(`${fn}: ${name} has ${t.shape[0]} values but the batch has ${n} images`);
  }
  return tf.reshape(t, [n, 1, 1, 1]) as tf.Tensor4D;
}

/** Check `v` is `[min, max]` with `lo <= min <= max` (strictly above `lo` when `open`). */
export function checkRangePair(fn: string, name: string, v: unknown, lo = 0, open = false): [number, number] {
  const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && (open ? x > lo : x >= lo);
  if (!Array.isArray(v) || v.length !== 2 || !ok(v[0]) || !ok(v[1]) || v[0] > v[1]) {
    throw new Error(
      `${fn}: ${name} must be [min, max] with ${lo} ${open ? '<' : '<='} min <= max, got ${describeValue(v)}`,
    );
  }
  return [v[0], v[1]];
}

/** Check that a transform got a batch `[N, H, W, C]`. */
export function checkBatch(fn: string, images: unknown): void {
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new Error(`${fn}: images must be a batch tensor [N, H, W, C], got ${describeValue(images)}`);
  }
}
