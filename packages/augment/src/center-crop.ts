import * as tf from '@tensorflow/tfjs-core';
import { describeValue, onBatch } from './batch';
import { roundHalfEven } from './round-half-even';
import type { Image } from './types';

/**
 * `TF.center_crop(img, [h, w])`: the offset is `round((H - h) / 2)` with Python's
 * ties-to-even; a crop larger than the image zero-pads it first, as torchvision does.
 */
export function centerCrop<T extends Image>(img: T, size: number | [number, number]): T {
  const [ch, cw] = typeof size === 'number' ? [size, size] : Array.isArray(size) ? size : [NaN, NaN];
  if (![ch, cw].every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`centerCrop: size must be a positive integer or [height, width], got ${describeValue(size)}`);
  }
  return onBatch('centerCrop', img, (batch) => {
    const [, h, w] = batch.shape;
    let padded = batch;
    if (ch > h || cw > w) {
      const padH = Math.max(ch - h, 0);
      const padW = Math.max(cw - w, 0);
      padded = tf.pad(batch, [
        [0, 0],
        [Math.floor(padH / 2), Math.floor((padH + 1) / 2)],
        [Math.floor(padW / 2), Math.floor((padW + 1) / 2)],
        [0, 0],
      ]);
    }
    const [, ph, pw] = padded.shape;
    const top = roundHalfEven((ph - ch) / 2);
    const left = roundHalfEven((pw - cw) / 2);
    return tf.slice(padded, [0, top, left, 0], [-1, ch, cw, -1]);
  });
}
