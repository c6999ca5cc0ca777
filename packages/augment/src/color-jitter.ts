import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Rng } from '@selfsup/runtime';
import { checkBatch, checkRangePair, describeValue } from './batch';
import { blendBatch } from './color-adjust';
import { adjustHue } from './hue';
import { applyToSubset, pickPerSample } from './per-sample-select';
import type { Transform } from './types';

export interface ColorJitterOptions {
  /** `b` draws factors in `[max(0, 1 - b), 1 + b]`; or give `[min, max]`. 0 = off. */
  brightness?: number | [number, number];
  contrast?: number | [number, number];
  saturation?: number | [number, number];
  /** `h` in [0, 0.5] draws hue shifts in `[-h, h]`; or give `[min, max]` within [-0.5, 0.5]. */
  hue?: number | [number, number];
  /** Probability that an image is jittered at all (BYOL and SimCLR: 0.8; default 1). */
  p?: number;
}

/** The four adjustments in torchvision's `ColorJitter` index order. */
const ADJUSTMENTS = ['brightness', 'contrast', 'saturation', 'hue'] as const;
type Adjustment = (typeof ADJUSTMENTS)[number];
/** Per-image jitter parameters; see `sampleColorJitter`. */
export interface ColorJitterParams {
  /** 1 where the image is jittered, 0 where it is left as is. */
  applied: Uint8Array;
  /** `order[4 i + k]` = index into (brightness, contrast, saturation, hue) of image i's k-th step (0s where not applied). */
  order: Uint8Array;
  /** Factors per image (1 for brightness/contrast/saturation and 0 for hue where not drawn). */
  brightness: Float32Array;
  contrast: Float32Array;
  saturation: Float32Array;
  hue: Float32Array;
}

/** torchvision's `_check_input`: a number v becomes `[center - v, center + v]` clipped; null = off. */
function factorRange(name: Adjustment, value: number | [number, number] | undefined): [number, number] | null {
  const fn = 'colorJitter';
  const isHue = name === 'hue';
  const center = isHue ? 0 : 1;
  let range: [number, number];
  if (value === undefined) return null;
  if (typeof value === 'number') {
    checkNumber(fn, name, value, { min: 0, max: isHue ? 0.5 : Infinity });
    range = isHue ? [-value, value] : [Math.max(0, 1 - value), 1 + value];
  } else {
    range = checkRangePair(fn, name, value, isHue ? -0.5 : 0);
    if (isHue && range[1] > 0.5)
      throw new Error(`${fn}: hue range must lie in [-0.5, 0.5], got ${describeValue(value)}`);
  }
  return range[0] === center && range[1] === center ? null : range;
}

/** Checked probability and factor ranges (null = adjustment off) of the options. */
function jitterSettings(options: ColorJitterOptions): { p: number; ranges: Array<[number, number] | null> } {
  if (options == null || typeof options !== 'object') {
    throw new Error(`colorJitter: options must be an object, got ${describeValue(options)}`);
  }
  const p = checkNumber('colorJitter', 'p', options.p ?? 1, { min: 0, max: 1 });
  return { p, ranges: ADJUSTMENTS.map((name) => factorRange(name, options[name])) };
}

/**
 * Draw jitter parameters for `n` images as torchvision's `RandomApply(ColorJitter)`
 * per image: a coin with probability `p`, a random order of the four adjustments
 * (a uniform permutation) for the jittered ones, then each enabled factor uniformly in its range.
 */
export function sampleColorJitter(rng: Rng, n: number, options: ColorJitterOptions): ColorJitterParams {
  const { p, ranges } = jitterSettings(options);
  const params: ColorJitterParams = {
    applied: new Uint8Array(n),
    order: new Uint8Array(4 * n),
    brightness: new Float32Array(n).fill(1),
    contrast: new Float32Array(n).fill(1),
    saturation: new Float32Array(n).fill(1),
    hue: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    if (!(rng.uniform() < p)) continue;
    params.applied[i] = 1;
    params.order.set(rng.shuffle([0, 1, 2, 3]), 4 * i);
    ADJUSTMENTS.forEach((name, j) => {
      const range = ranges[j];
      if (range) params[name][i] = rng.uniform(range[0], range[1]);
    });
  }
  return params;
}

/**
 * One of the four jitter steps: image i gets adjustment `step[i]` (0 brightness,
 * 1 contrast, 2 saturation, 3 hue, -1 none). Brightness, contrast and saturation are
 * all `_blend` towards a reference, so they run as one blend with a per-image
 * reference; hue runs only on the images that have it.
 */
function jitterStep(images: tf.Tensor4D, step: Int8Array, params: ColorJitterParams): tf.Tensor4D {
  const n = step.length;
  const column = (f: (op: number, i: number) => number) => tf.tensor2d(Float32Array.from(step, f), [n, 1]);
  const blends = Array.from(step, (op) => (op >= 0 && op < 3 ? 1 : 0));
  const hues = Array.from(step, (op) => (op === 3 ? 1 : 0));
  return tf.tidy(() => {
    let out = images;
    if (blends.some((b) => b === 1)) {
      const factors = [params.brightness, params.contrast, params.saturation];
      const factor = column((op, i) => (op >= 0 && op < 3 ? factors[op][i] : 1));
      const blended = blendBatch(images, factor, {
        meanGray: column((op) => (op === 1 ? 1 : 0)),
        gray: column((op) => (op === 2 ? 1 : 0)),
      });
      out = pickPerSample(images, blended, blends);
    }
    if (hues.some((h) => h === 1)) {
      out = applyToSubset(out, hues, (subset, indices) =>
        adjustHue(
          subset,
          Float32Array.from(indices, (i) => params.hue[i]),
        ),
      );
    }
    return out === images ? tf.clone(images) : out;
  });
}

/**
 * Colour jitter with per-image factors and a per-image random order of brightness,
 * contrast, saturation and hue, applied with probability `p` (torchvision's
 * `RandomApply([ColorJitter(...)], p)`), as four steps over the whole batch.
 */
export function colorJitter(options: ColorJitterOptions): Transform {
  const fn = 'colorJitter';
  const enabled = jitterSettings(options).ranges.map((range) => range !== null);
  return (images: tf.Tensor4D, rng: Rng) => {
    checkBatch(fn, images);
    const n = images.shape[0];
    const params = sampleColorJitter(rng, n, options);
    let current = images;
    for (let k = 0; k < 4; k++) {
      const step = Int8Array.from({ length: n }, (_, i) => {
        const op = params.order[4 * i + k];
        return params.applied[i] && enabled[op] ? op : -1;
      });
      const next = jitterStep(current, step, params);
      if (current !== images) current.dispose();
      current = next;
    }
    return current;
  };
}
