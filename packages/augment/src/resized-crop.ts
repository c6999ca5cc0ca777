import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@selfsup/runtime';
import { describeValue, onBatch } from './batch';
import { fillInterpolationMatrix } from './interpolation-matrix';
import type { Image, Interpolation } from './types';

/** A crop box in pixels: rows `[top, top + height)`, columns `[left, left + width)`. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

function checkInterpolation(fn: string, interpolation: unknown): Interpolation {
  if (interpolation !== 'bilinear' && interpolation !== 'bicubic') {
    throw new Error(`${fn}: interpolation must be 'bilinear' or 'bicubic', got ${describeValue(interpolation)}`);
  }
  return interpolation;
}

function checkSize(fn: string, size: unknown): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`${fn}: size must be [height, width] with positive integers, got ${describeValue(size)}`);
  }
  return [size[0], size[1]];
}

/**
 * Crop every image of a batch with its own box and resample it to `[outH, outW]`.
 * Each axis is one batched matrix product with a per-image `[out, in]` weight matrix
 * (bilinear: 2 taps a row, bicubic: 4), which is exact torchvision and runs on any backend.
 */
export function resampleCrops(
  batch: tf.Tensor4D,
  boxes: readonly CropBox[],
  [outH, outW]: [number, number],
  interpolation: Interpolation,
): tf.Tensor4D {
  const [n, h, w, c] = batch.shape;
  if (boxes.length !== n) throw new Error(`resampleCrops: got ${boxes.length} boxes for a batch of ${n} images`);
  const rows = new Float32Array(n * outH * h);
  const cols = new Float32Array(n * outW * w);
  boxes.forEach((box, i) => {
    fillInterpolationMatrix(rows, i * outH * h, h, { start: box.top, length: box.height }, outH, interpolation);
    fillInterpolationMatrix(cols, i * outW * w, w, { start: box.left, length: box.width }, outW, interpolation);
  });
  return tf.tidy(() => {
    const alongH = tf.matMul(tf.tensor3d(rows, [n, outH, h]), tf.reshape(batch, [n, h, w * c]));
    const widthFirst = tf.reshape(tf.transpose(tf.reshape(alongH, [n, outH, w, c]), [0, 2, 1, 3]), [n, w, outH * c]);
    const alongW = tf.matMul(tf.tensor3d(cols, [n, outW, w]), widthFirst);
    return tf.transpose(tf.reshape(alongW, [n, outW, outH, c]), [0, 2, 1, 3]) as tf.Tensor4D;
  });
}

function checkBox(fn: string, box: CropBox): void {
  const { top, left, height, width } = box;
  checkNumber(fn, 'height', height, { min: 1, integer: true });
  checkNumber(fn, 'width', width, { min: 1, integer: true });
  if (!Number.isInteger(top) || !Number.isInteger(left)) {
    throw new Error(`${fn}: top and left must be integers, got top ${describeValue(top)}, left ${describeValue(left)}`);
  }
}

/**
 * torchvision's `F.crop` zero-fills the parts of a box outside the image: pad the batch
 * with zeros just enough for the box to fit and move the box into the padded frame.
 */
function padToFit(batch: tf.Tensor4D, box: CropBox): [tf.Tensor4D, CropBox] {
  const [, h, w] = batch.shape;
  const [padTop, padLeft] = [Math.max(0, -box.top), Math.max(0, -box.left)];
  const [padBottom, padRight] = [Math.max(0, box.top + box.height - h), Math.max(0, box.left + box.width - w)];
  if (padTop + padLeft + padBottom + padRight === 0) return [batch, box];
  const padded = tf.pad(batch, [
    [0, 0],
    [padTop, padBottom],
    [padLeft, padRight],
    [0, 0],
  ]);
  return [padded, { ...box, top: box.top + padTop, left: box.left + padLeft }];
}

/**
 * `TF.resized_crop(img, top, left, height, width, size, interpolation, antialias=False)`:
 * crop (a box reaching outside the image is zero-filled there, as torchvision), then resize
 * to `size = [outH, outW]` with half-pixel centres. Bicubic (A = -0.75) is not clamped, so
 * values can overshoot [0, 1] slightly, as in torchvision.
 */
export function resizedCrop<T extends Image>(
  img: T,
  top: number,
  left: number,
  height: number,
  width: number,
  size: [number, number],
  interpolation: Interpolation = 'bilinear',
): T {
  const fn = 'resizedCrop';
  const out = checkSize(fn, size);
  checkInterpolation(fn, interpolation);
  const box = { top, left, height, width };
  checkBox(fn, box);
  return onBatch(fn, img, (batch) => {
    const [padded, inside] = padToFit(batch, box);
    return resampleCrops(padded, new Array(batch.shape[0]).fill(inside), out, interpolation);
  });
}

/**
 * torchvision's output size for `resize(size)`: a number sets the shorter side and
 * the longer becomes `floor(size * long / short)`; `[h, w]` is taken as is.
 */
export function resizedShape(h: number, w: number, size: number | [number, number]): [number, number] {
  if (typeof size !== 'number') return checkSize('resize', size);
  checkNumber('resize', 'size', size, { min: 1, integer: true });
  const long = Math.floor((size * Math.max(h, w)) / Math.min(h, w));
  return w <= h ? [long, size] : [size, long];
}

/** `TF.resize(img, size, interpolation, antialias=False)`; a number resizes the shorter side. */
export function resize<T extends Image>(
  img: T,
  size: number | [number, number],
  interpolation: Interpolation = 'bilinear',
): T {
  checkInterpolation('resize', interpolation);
  return onBatch('resize', img, (batch) => {
    const [n, h, w] = batch.shape;
    const out = resizedShape(h, w, size);
    if (out[0] === h && out[1] === w) return tf.clone(batch);
    const whole = { top: 0, left: 0, height: h, width: w };
    return resampleCrops(batch, new Array(n).fill(whole), out, interpolation);
  });
}
