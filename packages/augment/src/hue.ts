import * as tf from '@tensorflow/tfjs-core';
import { onBatch, perSampleTensor } from './batch';
import type { Image, PerSample } from './types';

/**
 * RGB -> HSV as torchvision's `_rgb2hsv`: ties of the max go to R, then G, then B;
 * gray pixels get h = s = 0. Returns h, s, v, each `[N, H, W, 1]`, h in [0, 1).
 */
export function rgbToHsv(batch: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(batch, 3, 3) as tf.Tensor4D[];
    const maxc = tf.maximum(tf.maximum(r, g), b);
    const minc = tf.minimum(tf.minimum(r, g), b);
    const gray = tf.equal(maxc, minc);
    const chroma = tf.sub(maxc, minc);
    const ones = tf.onesLike(maxc);
    // Dividing by 1 where the pixel is gray keeps h and s at exactly 0 there, not NaN.
    const s = tf.div(chroma, tf.where(gray, ones, maxc));
    const divisor = tf.where(gray, ones, chroma);
    const rc = tf.div(tf.sub(maxc, r), divisor);
    const gc = tf.div(tf.sub(maxc, g), divisor);
    const bc = tf.div(tf.sub(maxc, b), divisor);
    const isR = tf.equal(maxc, r);
    const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR));
    const zeros = tf.zerosLike(maxc);
    const hr = tf.where(isR, tf.sub(bc, gc), zeros);
    const hg = tf.where(isG, tf.add(2, tf.sub(rc, bc)), zeros);
    const hb = tf.where(tf.logicalOr(isR, isG), zeros, tf.add(4, tf.sub(gc, rc)));
    const h6 = tf.add(tf.add(hr, hg), hb);
    // h6 is in [-1, 5], so h6 / 6 + 1 is positive and a plain fractional part is torch.fmod.
    const hShift = tf.add(tf.div(h6, 6), 1);
    const h = tf.sub(hShift, tf.floor(hShift));
    return [h, s, maxc] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  });
}

// For each hue sector i (rows) and output channel (R, G, B), which of
// [v, p, q, t] torchvision's `_hsv2rgb` picks. Flattened to [6, 4 * 3] so the
// per-pixel choice is one matrix product of a one-hot sector code.
const SECTOR_SOURCES: ReadonlyArray<readonly [number, number, number]> = [
  [0, 3, 1], // i = 0: (v, t, p)
  [2, 0, 1], // i = 1: (q, v, p)
  [1, 0, 3], // i = 2: (p, v, t)
  [1, 2, 0], // i = 3: (p, q, v)
  [3, 1, 0], // i = 4: (t, p, v)
  [0, 1, 2], // i = 5: (v, p, q)
];

function sectorTable(): tf.Tensor2D {
  const table = new Float32Array(6 * 12);
  SECTOR_SOURCES.forEach((sources, i) => sources.forEach((src, ch) => (table[i * 12 + src * 3 + ch] = 1)));
  return tf.tensor2d(table, [6, 12]);
}

/** HSV -> RGB as torchvision's `_hsv2rgb` (p, q, t clamped to [0, 1]; no final clamp). */
export function hsvToRgb(h: tf.Tensor4D, s: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const h6 = tf.mul(h, 6);
    const sector = tf.floor(h6);
    const f = tf.sub(h6, sector);
    const p = tf.clipByValue(tf.mul(v, tf.sub(1, s)), 0, 1);
    const q = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, f))), 0, 1);
    const t = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1);
    const [n, height, width] = v.shape;
    const pixels = n * height * width;
    // One-hot by comparison: tf.oneHot with a float32 output is wrong on the wasm backend (tfjs 4.22).
    const sectorMod6 = tf.reshape(tf.mod(sector, 6), [pixels, 1]);
    const oneHot = tf.cast(tf.equal(sectorMod6, tf.reshape(tf.range(0, 6), [1, 6])), 'float32');
    const choice = tf.reshape(tf.matMul(oneHot, sectorTable()), [pixels, 4, 3]);
    const candidates = tf.reshape(tf.concat([v, p, q, t], 3), [pixels, 4, 1]);
    return tf.reshape(tf.sum(tf.mul(candidates, choice), 1), [n, height, width, 3]) as tf.Tensor4D;
  });
}

/**
 * `TF.adjust_hue`: rotate the hue by `factor` turns (in [-0.5, 0.5]; a number or
 * one per image) with a floor-mod, so the result stays in [0, 1) as in Python.
 */
export function adjustHue<T extends Image>(img: T, factor: PerSample): T {
  if (typeof factor === 'number' && !(factor >= -0.5 && factor <= 0.5)) {
    throw new Error(`adjustHue: factor must be in [-0.5, 0.5], got ${factor}`);
  }
  return onBatch(
    'adjustHue',
    img,
    (batch) => {
      const [h, s, v] = rgbToHsv(batch);
      const shifted = tf.add(h, perSampleTensor('adjustHue', 'factor', factor, batch.shape[0]));
      return hsvToRgb(tf.sub(shifted, tf.floor(shifted)), s, v);
    },
    [3],
  );
}
