import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@selfsup/runtime';
import { checkBatch } from './batch';
import { centerCrop } from './center-crop';
import { colorJitter } from './color-jitter';
import { compose } from './compose';
import { randomGaussianBlur } from './random-gaussian-blur';
import { randomResizedCrop } from './random-resized-crop';
import { randomGrayscale, randomHorizontalFlip, randomSolarize } from './random-simple';
import { resize } from './resized-crop';
import type { Interpolation, Transform } from './types';

export interface ViewOptions {
  /** Output side in pixels (224 for ImageNet, 32 for CIFAR). */
  size?: number;
  /** Filter of the random resized crop (default 'bicubic', as BYOL and SimCLR, Grill et al. 2020 Appendix B). */
  interpolation?: Interpolation;
  /** Blur kernel size (default: the odd size nearest 10% of `size`). */
  blurKernelSize?: number;
}

export interface ByolViewOptions extends ViewOptions {
  /**
   * Gaussian blur in the view (default true, as the paper). Small-image BYOL recipes drop it:
   * at 32 px its kernel is 3 pixels (solo-learn's CIFAR configs and byol_reference.py --no-blur).
   */
  blur?: boolean;
  /** Range of the random crop's area fraction (default [0.08, 1]; [0.2, 1] is common for images <= 64 px). */
  scale?: [number, number];
}

interface ByolViewProbabilities {
  blur: number;
  solarize: number;
}

/**
 * Random resized crop with the papers' bicubic filter, clamped back to [0, 1]: bicubic
 * overshoots slightly and the views should stay valid images for the ops after it.
 */
function cropInUnitRange(size: number, interpolation: Interpolation, scale: [number, number] = [0.08, 1]): Transform {
  const crop = randomResizedCrop({ size, scale, ratio: [3 / 4, 4 / 3], interpolation });
  return (images, rng) => tf.tidy(() => tf.clipByValue(crop(images, rng), 0, 1) as tf.Tensor4D);
}

// BYOL (Grill et al. 2020), Table 6: the two views share crop, flip, colour jitter and
// grayscale settings and differ only in how often they blur and solarize.
function byolView(fn: string, options: ByolViewOptions, { blur, solarize }: ByolViewProbabilities): Transform {
  const { size = 224, interpolation = 'bicubic', blurKernelSize, blur: withBlur = true, scale } = options ?? {};
  checkNumber(fn, 'size', size, { min: 1, integer: true });
  if (typeof withBlur !== 'boolean') throw new Error(`${fn}: blur must be true or false, got ${String(withBlur)}`);
  return compose([
    cropInUnitRange(size, interpolation, scale),
    randomHorizontalFlip(0.5),
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, p: 0.8 }),
    randomGrayscale(0.2),
    ...(withBlur ? [randomGaussianBlur({ p: blur, sigma: [0.1, 2], kernelSize: blurKernelSize })] : []),
    ...(solarize > 0 ? [randomSolarize({ p: solarize, threshold: 0.5 })] : []),
  ]);
}

/** BYOL's first view: always blurred (unless `blur: false`), never solarized. */
export function byolView1(options: ByolViewOptions = {}): Transform {
  return byolView('byolView1', options, { blur: 1.0, solarize: 0 });
}

/** BYOL's second view: blurred with p = 0.1 (unless `blur: false`), solarized with p = 0.2. */
export function byolView2(options: ByolViewOptions = {}): Transform {
  return byolView('byolView2', options, { blur: 0.1, solarize: 0.2 });
}

export interface SimclrOptions extends ViewOptions {
  /** Colour distortion strength s: jitter (0.8 s, 0.8 s, 0.8 s, 0.2 s), default 1. */
  strength?: number;
  /** Blur probability (SimCLR: 0.5 on ImageNet; its CIFAR runs used 0). */
  blur?: number;
}

/** SimCLR's augmentation (Chen et al. 2020, Appendix A): crop, flip, jitter p 0.8, grayscale p 0.2, blur. */
export function simclr(options: SimclrOptions = {}): Transform {
  const { size = 224, interpolation = 'bicubic', blurKernelSize, strength = 1, blur = 0.5 } = options ?? {};
  checkNumber('simclr', 'size', size, { min: 1, integer: true });
  checkNumber('simclr', 'strength', strength, { min: 0 });
  const s = strength;
  return compose([
    cropInUnitRange(size, interpolation),
    randomHorizontalFlip(0.5),
    colorJitter({ brightness: 0.8 * s, contrast: 0.8 * s, saturation: 0.8 * s, hue: Math.min(0.2 * s, 0.5), p: 0.8 }),
    randomGrayscale(0.2),
    ...(blur > 0 ? [randomGaussianBlur({ p: blur, sigma: [0.1, 2], kernelSize: blurKernelSize })] : []),
  ]);
}

export interface EvalTransformOptions {
  /** Centre crop side (default 224; 32 for CIFAR-size images). */
  crop?: number;
  /** Shorter side after resizing (default `round(crop * 256 / 224)`: 256 for 224, 37 for 32). */
  resize?: number;
}

/**
 * The deterministic evaluation transform of the transfer protocol: resize the shorter
 * side to `resize` (bilinear), then take the centre `crop x crop`. Ignores the rng.
 */
export function evalTransform(options: EvalTransformOptions = {}): Transform {
  const { crop = 224 } = options ?? {};
  checkNumber('evalTransform', 'crop', crop, { min: 1, integer: true });
  const shorter = options?.resize ?? Math.round((crop * 256) / 224);
  checkNumber('evalTransform', 'resize', shorter, { min: crop, integer: true });
  return (images: tf.Tensor4D) => {
    checkBatch('evalTransform', images);
    return tf.tidy(() => centerCrop(resize(images, shorter, 'bilinear'), [crop, crop]));
  };
}
