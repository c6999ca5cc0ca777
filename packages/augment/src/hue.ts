import * as tf from '@tensorflow/tfjs-core';
import { onBatch, perSampleTensor } from './batch';
import type { Image, PerSample } from './types';

// Columns give (g - b), (b - r), (r - g): the hue numerator when R, G or B is the max.
const CHANNEL_DIFFERENCES = [
  [0, -1, 1],
  [1, 0, -1],
  [-1, 1, 0],
];
// Strictly upper triangular: column c counts the maxima among the channels before c.
const EARLIER_CHANNELS = [
  [0, 1, 1],
  [0, 0, 1],
  [0, 0, 0],
];
// Sextant offsets 0, 2, 4 for a max in R, G, B.
const SEXTANT_OFFSET = [[0], [2], [4]];

/**
 * Hue in [0, 1), saturation and value of pixels `[P, 3]` as `[P, 1]` columns, as
 * torchvision's `_rgb2hsv`: a tie for the max goes to R, then G, then B; gray pixels
 * get h = s = 0. Uses matrix products and `step` instead of slices and `where`,
 * which are slow on the wasm backend.
 */
/**
 * A `[P, 1]` column copied to `[P, 3]` by a matrix product: on wasm, broadcasting a
 * column inside a binary op takes a slow generic path (10-200x slower than same shapes).
 */
function toChannels(column: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(column, tf.ones([1, 3]));
}

function rgbToHsv(pixels: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const v = tf.max(pixels, 1, true) as tf.Tensor2D;
  const chroma = tf.sub(v, tf.min(pixels, 1, true));
  const isGray = tf.cast(tf.equal(chroma, 0), 'float32');
  // Adding 1 where the pixel is gray divides 0 by a non-zero number: h = s = 0, never NaN.
  const s = tf.div(chroma, tf.add(v, isGray));
  const isMax = tf.cast(tf.equal(pixels, toChannels(v)), 'float32');
  const firstMax = tf.mul(isMax, tf.step(tf.sub(0.5, tf.matMul(isMax, tf.tensor2d(EARLIER_CHANNELS)))));
  const numerator = tf.sum(tf.mul(tf.matMul(pixels, tf.tensor2d(CHANNEL_DIFFERENCES)), firstMax), 1, true);
  const sextant = tf.add(tf.div(numerator, tf.add(chroma, isGray)), tf.matMul(firstMax, tf.tensor2d(SEXTANT_OFFSET)));
  // sextant is in [-1, 5]: sextant / 6 + 1 > 0, so the fractional part is torch.fmod(., 1).
  const shifted = tf.add(tf.div(sextant, 6), 1);
  return [tf.sub(shifted, tf.floor(shifted)), s, v] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
}

/**
 * HSV -> RGB `[P, 3]` for h in [0, 1]: channel c is `v (1 - s a_c)` with
 * `a_c = clamp(min(k, 4 - k), 0, 1)`, `k = (n_c + 6 h) mod 6`, `n = (5, 3, 1)`. This is
 * torchvision's `_hsv2rgb` sector table written as one formula: a_c = 0 picks v,
 * 1 picks p, f or 1 - f pick q or t; like torchvision, p, q, t are clamped to [0, 1], v is not.
 */
function hsvToRgb(h: tf.Tensor2D, s: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  const k0 = tf.add(toChannels(tf.mul(h, 6)), tf.tensor1d([5, 3, 1]));
  const k = tf.sub(k0, tf.mul(6, tf.floor(tf.div(k0, 6))));
  // min(k, 4 - k) = 2 - |k - 2|; tf.minimum is several times slower than abs on wasm.
  const a = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(k, 2))), 0, 1);
  const rgb = tf.mul(toChannels(v), tf.sub(1, tf.mul(toChannels(s), a)));
  const clamped = tf.clipByValue(rgb, 0, 1);
  // Where a = 0 the channel is v itself, which torchvision leaves unclamped.
  const isV = tf.sub(1, tf.step(a));
  return tf.add(clamped, tf.mul(isV, tf.sub(rgb, clamped)));
}

/**
 * `TF.adjust_hue`: rotate the hue by `factor` turns (in [-0.5, 0.5]; a number or
 * one per image) with a floor-mod, so the result stays in [0, 1) as in Python. A
 * one-channel (gray) image has no hue and is returned as is, as torchvision.
 */
export function adjustHue<T extends Image>(img: T, factor: PerSample): T {
  if (typeof factor === 'number' && !(factor >= -0.5 && factor <= 0.5)) {
    throw new Error(`adjustHue: factor must be in [-0.5, 0.5], got ${factor}`);
  }
  return onBatch(
    'adjustHue',
    img,
    (batch) => {
      const [n, height, width, channels] = batch.shape;
      if (channels === 1) return tf.clone(batch);
      const [h, s, v] = rgbToHsv(tf.reshape(batch, [-1, 3]));
      const perImage = tf.reshape(perSampleTensor('adjustHue', 'factor', factor, n), [-1, 1]);
      const rotated = tf.add(tf.reshape(h, [n, height * width]), perImage);
      const wrapped = tf.reshape(tf.sub(rotated, tf.floor(rotated)), [-1, 1]) as tf.Tensor2D;
      return tf.reshape(hsvToRgb(wrapped, s, v), [n, height, width, 3]) as tf.Tensor4D;
    },
    [1, 3],
  );
}
