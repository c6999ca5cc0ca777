import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Rng } from '@selfsup/runtime';
import { checkBatch, checkRangePair } from './batch';
import { blurBatch, checkKernelSize } from './gaussian-blur';
import { applyToSubset, coinFlips } from './per-sample-select';
import type { Transform } from './types';

/**
 * The odd kernel size nearest to 10% of the image side, as BYOL and SimCLR use
 * (23 for 224, 9 for 96, 3 for 32).
 */
export function blurKernelSizeFor(imageSize: number): number {
  return 2 * Math.floor(imageSize / 20) + 1;
}

export interface RandomGaussianBlurOptions {
  /** Probability per image (BYOL: 1.0 for view 1, 0.1 for view 2). */
  p: number;
  /** Range of sigma, drawn uniformly per image and used for both axes (default [0.1, 2]). */
  sigma?: [number, number];
  /** Odd kernel size (default: `blurKernelSizeFor(min(H, W))`, about 10% of the image). */
  kernelSize?: number;
}

/** Per-image sigmas drawn uniformly in `[lo, hi]` for the images whose coin is 1 (0 elsewhere). */
export function sampleBlurSigmas(rng: Rng, coins: ArrayLike<number>, [lo, hi]: [number, number]): Float32Array {
  const sigmas = new Float32Array(coins.length);
  for (let i = 0; i < coins.length; i++) if (coins[i]) sigmas[i] = rng.uniform(lo, hi);
  return sigmas;
}

/** Gaussian blur with probability `p`, each blurred image with its own sigma (torchvision's `GaussianBlur`). */
export function randomGaussianBlur(options: RandomGaussianBlurOptions): Transform {
  const fn = 'randomGaussianBlur';
  const opts = options ?? ({} as RandomGaussianBlurOptions);
  const { p, kernelSize } = opts;
  checkNumber(fn, 'p', p, { min: 0, max: 1 });
  const sigmaRange = checkRangePair(fn, 'sigma', opts.sigma ?? [0.1, 2], 0, true);
  if (kernelSize !== undefined) checkKernelSize(fn, 'kernelSize', kernelSize);
  return (images: tf.Tensor4D, rng: Rng) => {
    checkBatch(fn, images);
    const [n, h, w] = images.shape;
    const k = kernelSize ?? blurKernelSizeFor(Math.min(h, w));
    const coins = coinFlips(rng, n, p);
    const sigmas = sampleBlurSigmas(rng, coins, sigmaRange);
    return applyToSubset(images, coins, (subset, indices) => {
      const s = Float32Array.from(indices, (i) => sigmas[i]);
      return blurBatch(fn, subset, [k, k], [s, s]);
    });
  };
}
