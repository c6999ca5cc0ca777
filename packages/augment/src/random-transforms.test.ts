import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianBlur } from './gaussian-blur';
import { rgbToGrayscale } from './grayscale';
import { hflip } from './hflip';
import { blurKernelSizeFor, randomGaussianBlur, sampleBlurSigmas } from './random-gaussian-blur';
import { randomGrayscale, randomHorizontalFlip, randomSolarize } from './random-simple';
import { coinFlips } from './per-sample-select';
import { solarize } from './solarize';
import { imageAt, maxAbsDiff } from './test-helpers';
import type { Transform } from './types';

beforeAll(async () => {
  await initBackend('wasm');
});

/**
 * Run `transform` on a batch and classify each output image as the original or the
 * expected transformed image (anything else fails). Returns the fraction transformed.
 */
function fractionApplied(
  transform: Transform,
  expected: (img: tf.Tensor4D) => tf.Tensor4D,
  n: number,
  seed: number,
): number {
  const images = tf.randomUniform([n, 5, 4, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
  const changed = expected(images);
  const before = tf.memory().numTensors;
  const out = transform(images, createRng(seed));
  expect(tf.memory().numTensors).toBe(before + 1);
  const perImage = (a: tf.Tensor4D) => tf.tidy(() => tf.max(tf.abs(tf.sub(out, a)), [1, 2, 3]).dataSync());
  const [toOriginal, toChanged] = [perImage(images), perImage(changed)];
  const unexplained = Array.from(toOriginal).filter((d, i) => d > 1e-6 && toChanged[i] > 1e-6);
  expect(unexplained).toEqual([]);
  tf.dispose([images, changed, out]);
  return Array.from(toChanged).filter((d) => d <= 1e-6).length / n;
}

describe('per-image random transforms', () => {
  it('randomHorizontalFlip flips each image with probability p', () => {
    expect(fractionApplied(randomHorizontalFlip(0.5), hflip, 2000, 1)).toBeCloseTo(0.5, 1);
    expect(fractionApplied(randomHorizontalFlip(0), hflip, 200, 2)).toBe(0);
  });

  it('randomGrayscale makes each image gray (3 channels) with probability p', () => {
    const gray3 = (x: tf.Tensor4D) => rgbToGrayscale(x, 3);
    expect(fractionApplied(randomGrayscale(0.2), gray3, 2000, 3)).toBeCloseTo(0.2, 1);
    expect(fractionApplied(randomGrayscale(1), gray3, 100, 4)).toBe(1);
  });

  it('randomSolarize inverts pixels >= threshold in each image with probability p', () => {
    const at = (t: number) => (x: tf.Tensor4D) => solarize(x, t);
    expect(fractionApplied(randomSolarize({ p: 0.2 }), at(0.5), 2000, 5)).toBeCloseTo(0.2, 1);
    expect(fractionApplied(randomSolarize({ p: 1, threshold: 0.3 }), at(0.3), 100, 6)).toBe(1);
  });

  it('coin flips are independent per image: the fraction converges to p', () => {
    const coins = coinFlips(createRng(7), 100000, 0.1);
    expect(coins.reduce((a, b) => a + b, 0) / coins.length).toBeCloseTo(0.1, 2);
  });
});

describe('randomGaussianBlur', () => {
  it('blurs each chosen image with its own sigma, exactly as gaussianBlur with that sigma', () => {
    const images = tf.randomUniform([12, 9, 7, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const rng = createRng(10);
    const state = rng.getState();
    const before = tf.memory().numTensors;
    const out = randomGaussianBlur({ p: 0.5, kernelSize: 5 })(images, rng);
    expect(tf.memory().numTensors).toBe(before + 1);
    rng.setState(state);
    const coins = coinFlips(rng, 12, 0.5);
    const sigmas = sampleBlurSigmas(rng, coins, [0.1, 2]);
    expect(coins.some((c) => c === 0) && coins.some((c) => c === 1)).toBe(true);
    for (let i = 0; i < 12; i++) {
      const [img, got] = [imageAt(images, i), imageAt(out, i)];
      const expected = coins[i] ? gaussianBlur(img, 5, sigmas[i]) : img.clone();
      expect(maxAbsDiff(expected, got)).toBeLessThan(1e-5);
      tf.dispose([img, got, expected]);
    }
    tf.dispose([images, out]);
  });

  it('draws sigma uniformly in [0.1, 2] and picks ~10% kernels', () => {
    const sigmas = sampleBlurSigmas(createRng(11), new Uint8Array(20000).fill(1), [0.1, 2]);
    expect(Math.min(...sigmas)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...sigmas)).toBeLessThanOrEqual(2);
    expect(sigmas.reduce((a, b) => a + b, 0) / sigmas.length).toBeCloseTo(1.05, 1);
    // BYOL: 23x23 at 224 (Grill et al. 2020, Appendix B); odd sizes near 10% elsewhere.
    expect([224, 96, 64, 32].map(blurKernelSizeFor)).toEqual([23, 9, 7, 3]);
  });

  it('rejects bad options with the argument named', () => {
    expect(() => randomGaussianBlur({ p: 1.5 })).toThrow(/p must be a finite number in \[0, 1\], got 1.5/);
    expect(() => randomGaussianBlur({ p: 1, kernelSize: 4 })).toThrow(
      /kernelSize must be an odd positive integer, got 4/,
    );
    expect(() => randomGaussianBlur({ p: 1, sigma: [0, 1] })).toThrow(/sigma must be \[min, max\]/);
    const images = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    expect(() => randomGaussianBlur({ p: 1, kernelSize: 9 })(images, createRng(1))).toThrow(/too large for 4x4 images/);
    images.dispose();
  });
});
