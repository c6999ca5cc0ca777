import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfsup/runtime';
import { checkBatch, checkRangePair, describeValue } from './batch';
import { resampleCrops, type CropBox } from './resized-crop';
import { roundHalfEven } from './round-half-even';
import type { Interpolation, Transform } from './types';

export interface RandomResizedCropOptions {
  /** Output size: a number for a square, or `[height, width]`. */
  size: number | [number, number];
  /** Range of the crop's area as a fraction of the image (default [0.08, 1], torchvision and BYOL). */
  scale?: [number, number];
  /** Range of the crop's aspect ratio width / height (default [3/4, 4/3]), sampled log-uniformly. */
  ratio?: [number, number];
  /** Resampling filter (default 'bilinear', torchvision's default). */
  interpolation?: Interpolation;
}

/**
 * One crop box as torchvision's `RandomResizedCrop.get_params`: up to 10 tries of a
 * uniform area fraction in `scale` and a log-uniform aspect ratio in `ratio`, kept if
 * it fits; otherwise the centre crop with the ratio clamped into range.
 */
export function sampleResizedCrop(
  rng: Rng,
  height: number,
  width: number,
  scale: [number, number] = [0.08, 1],
  ratio: [number, number] = [3 / 4, 4 / 3],
): CropBox {
  const area = height * width;
  const [logLo, logHi] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { top: rng.int(height - h + 1), left: rng.int(width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let [h, w] = [height, width];
  if (inRatio < ratio[0]) h = roundHalfEven(w / ratio[0]);
  else if (inRatio > ratio[1]) w = roundHalfEven(h * ratio[1]);
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/**
 * Random resized crop with a box drawn per image (torchvision's `RandomResizedCrop`),
 * resampled to `size` with exact half-pixel bilinear or bicubic weights.
 */
export function randomResizedCrop(options: RandomResizedCropOptions): Transform {
  const fn = 'randomResizedCrop';
  const opts = options ?? ({} as RandomResizedCropOptions);
  const { size, interpolation = 'bilinear' } = opts;
  const out: [number, number] = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(out) || out.length !== 2 || !out.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`${fn}: size must be a positive integer or [height, width], got ${describeValue(size)}`);
  }
  const scale = checkRangePair(fn, 'scale', opts.scale ?? [0.08, 1]);
  const ratio = checkRangePair(fn, 'ratio', opts.ratio ?? [3 / 4, 4 / 3], 0, true);
  if (interpolation !== 'bilinear' && interpolation !== 'bicubic') {
    throw new Error(`${fn}: interpolation must be 'bilinear' or 'bicubic', got ${describeValue(interpolation)}`);
  }
  return (images: tf.Tensor4D, rng: Rng) => {
    checkBatch(fn, images);
    const [n, h, w] = images.shape;
    const boxes = Array.from({ length: n }, () => sampleResizedCrop(rng, h, w, scale, ratio));
    return resampleCrops(images, boxes, out, interpolation);
  };
}
