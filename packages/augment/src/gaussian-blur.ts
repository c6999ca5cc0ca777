import * as tf from '@tensorflow/tfjs-core';
import { describeValue, onBatch, perSampleTensor } from './batch';
import type { Image, PerSample } from './types';

/** An odd positive kernel size, checked. */
export function checkKernelSize(fn: string, name: string, k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k % 2 === 0) {
    throw new Error(`${fn}: ${name} must be an odd positive integer, got ${describeValue(k)}`);
  }
  return k;
}

/** torchvision's default sigma for a kernel size when none is given. */
function defaultSigma(k: number): number {
  return 0.3 * ((k - 1) * 0.5 - 1) + 0.8;
}

/**
 * Normalised 1-D Gaussian kernels `[N, k]`, one per sigma (`sigma` is `[N, 1, 1, 1]`
 * or `[1, 1, 1, 1]`): `exp(-0.5 (x / sigma)^2)` over `x = -(k-1)/2 .. (k-1)/2`, as torchvision.
 */
function gaussianKernels(sigma: tf.Tensor4D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.reshape(tf.linspace(-(k - 1) / 2, (k - 1) / 2, k), [1, k]);
    const pdf = tf.exp(tf.mul(-0.5, tf.square(tf.div(x, tf.reshape(sigma, [-1, 1])))));
    return tf.div(pdf, tf.sum(pdf, 1, true)) as tf.Tensor2D;
  });
}

/**
 * One separable pass along width (`axis` 2) or height (`axis` 1) of a batch folded into
 * channels (`[1, H, W, N * C]`, image n owning channels n * C .. n * C + C - 1), so one
 * depthwise convolution applies image n's kernel (row n of `kernels`) to its own channels.
 */
function blurFoldedAxis(folded: tf.Tensor4D, kernels: tf.Tensor2D, channels: number, axis: 1 | 2): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, k] = kernels.shape;
    const pad = (k - 1) / 2;
    const padding: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    padding[axis] = [pad, pad];
    // Reflect = mirror without repeating the edge pixel, torch's F.pad(mode='reflect').
    const padded = tf.mirrorPad(folded, padding, 'reflect');
    const perChannel = tf.reshape(tf.tile(tf.reshape(kernels, [n, 1, k]), [1, channels, 1]), [n * channels, k]);
    const filterShape: [number, number, number, number] =
      axis === 2 ? [1, k, n * channels, 1] : [k, 1, n * channels, 1];
    return tf.depthwiseConv2d(padded, tf.reshape(tf.transpose(perChannel), filterShape) as tf.Tensor4D, 1, 'valid');
  });
}

/**
 * Gaussian blur of a batch with sigmas given per image (`[N]`) or once, used by
 * `gaussianBlur` and `randomGaussianBlur`. Kernel sizes are (kx, ky), index 0 = x.
 */
export function blurBatch(
  fn: string,
  batch: tf.Tensor4D,
  [kx, ky]: [number, number],
  [sx, sy]: [PerSample, PerSample],
): tf.Tensor4D {
  const [n, h, w, c] = batch.shape;
  if ((kx - 1) / 2 >= w || (ky - 1) / 2 >= h) {
    throw new Error(
      `${fn}: reflect padding needs kernelSize/2 < image size; kernelSize [${kx}, ${ky}] is too large for ${h}x${w} images`,
    );
  }
  return tf.tidy(() => {
    const kernels = (sigma: PerSample, k: number) =>
      tf.broadcastTo(gaussianKernels(perSampleTensor(fn, 'sigma', sigma, n), k), [n, k]) as tf.Tensor2D;
    // Fold once for both passes (transposes are a large part of the cost on wasm).
    const folded = tf.reshape(tf.transpose(batch, [1, 2, 0, 3]), [1, h, w, n * c]) as tf.Tensor4D;
    const alongX = blurFoldedAxis(folded, kernels(sx, kx), c, 2);
    const alongY = blurFoldedAxis(alongX, kernels(sy, ky), c, 1);
    return tf.transpose(tf.reshape(alongY, [h, w, n, c]), [2, 0, 1, 3]) as tf.Tensor4D;
  });
}

function pair(fn: string, name: string, v: number | readonly number[]): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  throw new Error(`${fn}: ${name} must be a number or [x, y], got ${describeValue(v)}`);
}

/**
 * `TF.gaussian_blur(img, kernel_size, sigma)`: reflect-padded separable Gaussian.
 * `kernelSize` and `sigma` are a number or `[x, y]` (index 0 = width, as torchvision);
 * without `sigma`, torchvision's default `0.3 ((k - 1) / 2 - 1) + 0.8` is used.
 */
export function gaussianBlur<T extends Image>(
  img: T,
  kernelSize: number | readonly [number, number],
  sigma?: number | readonly [number, number],
): T {
  const fn = 'gaussianBlur';
  const [kx, ky] = pair(fn, 'kernelSize', kernelSize);
  checkKernelSize(fn, 'kernelSize', kx);
  checkKernelSize(fn, 'kernelSize', ky);
  const sigmas = sigma === undefined ? [defaultSigma(kx), defaultSigma(ky)] : pair(fn, 'sigma', sigma);
  if (!sigmas.every((s) => Number.isFinite(s) && s > 0)) {
    throw new Error(`${fn}: sigma must be positive, got ${describeValue(sigma)}`);
  }
  return onBatch(fn, img, (batch) => blurBatch(fn, batch, [kx, ky], [sigmas[0], sigmas[1]]));
}
