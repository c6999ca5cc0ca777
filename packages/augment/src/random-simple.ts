import { luma } from './grayscale';
import { checkNumber } from '@selfsup/runtime';
import { hflip } from './hflip';
import { randomApply } from './random-apply';
import { solarize } from './solarize';
import type { Transform } from './types';

/** Mirror each image left-right with probability `p` (default 0.5). */
export function randomHorizontalFlip(p = 0.5): Transform {
  return randomApply(hflip, p, 'randomHorizontalFlip');
}

/** Turn each RGB image gray with probability `p` (default 0.1), keeping its channel count as torchvision. */
export function randomGrayscale(p = 0.1): Transform {
  return randomApply((images) => luma(images, images.shape[3]), p, 'randomGrayscale');
}

export interface RandomSolarizeOptions {
  /** Probability per image (BYOL view 2: 0.2). */
  p: number;
  /** Pixels `>= threshold` are inverted (default 0.5, as BYOL). */
  threshold?: number;
}

/** Solarize each image with probability `p`: pixels `>= threshold` become `1 - x`. */
export function randomSolarize({ p, threshold = 0.5 }: RandomSolarizeOptions): Transform {
  checkNumber('randomSolarize', 'threshold', threshold, { min: 0, max: 1 });
  return randomApply((images) => solarize(images, threshold), p, 'randomSolarize');
}
