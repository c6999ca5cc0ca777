import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomResizedCrop, sampleResizedCrop } from './random-resized-crop';
import { resizedCrop } from './resized-crop';
import { countDistinctImages, imageAt, maxAbsDiff } from './test-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('sampleResizedCrop (torchvision RandomResizedCrop.get_params)', () => {
  it('draws area fractions uniformly in scale and log-ratios uniformly in ratio when every try fits', () => {
    // On a large image with scale <= 0.5 the first try always fits (side <= sqrt(0.5 * 4/3) < 1),
    // so the accepted boxes follow the sampling distributions directly.
    const rng = createRng(1);
    const side = 4000;
    const boxes = Array.from({ length: 20000 }, () => sampleResizedCrop(rng, side, side, [0.1, 0.5], [3 / 4, 4 / 3]));
    const areas = boxes.map((b) => (b.height * b.width) / (side * side));
    const logRatios = boxes.map((b) => Math.log(b.width / b.height));
    expect(Math.min(...areas)).toBeGreaterThan(0.0995);
    expect(Math.max(...areas)).toBeLessThan(0.5005);
    expect(mean(areas)).toBeCloseTo(0.3, 2); // U[0.1, 0.5]
    expect(Math.min(...logRatios)).toBeGreaterThan(Math.log(3 / 4) - 1e-3);
    expect(Math.max(...logRatios)).toBeLessThan(Math.log(4 / 3) + 1e-3);
    expect(mean(logRatios)).toBeCloseTo(0, 2);
    // Offsets are uniform over the valid positions: centred on average.
    expect(mean(boxes.map((b) => (b.top + b.height / 2) / side))).toBeCloseTo(0.5, 2);
    expect(mean(boxes.map((b) => (b.left + b.width / 2) / side))).toBeCloseTo(0.5, 2);
  });

  it('keeps every box inside the image and covers the whole scale range on a CIFAR-size image', () => {
    const rng = createRng(2);
    const boxes = Array.from({ length: 5000 }, () => sampleResizedCrop(rng, 32, 24));
    const outside = boxes.filter((b) => b.top < 0 || b.left < 0 || b.top + b.height > 32 || b.left + b.width > 24);
    expect(outside).toEqual([]);
    const areas = boxes.map((b) => (b.height * b.width) / (32 * 24));
    expect(Math.min(...areas)).toBeLessThan(0.1);
    expect(Math.max(...areas)).toBeGreaterThan(0.95);
  });

  it('falls back to the centre crop with the ratio clamped when 10 tries fail', () => {
    const rng = createRng(3);
    // A 2:1 to 3:1 ratio never fits a square at 90-100% of its area.
    expect(sampleResizedCrop(rng, 30, 30, [0.9, 1], [2, 3])).toEqual({ top: 7, left: 0, height: 15, width: 30 });
    // A 1:2 image (taller than wide) with the default ratios: width kept, height = round(w / (3/4)).
    expect(sampleResizedCrop(rng, 40, 20, [0.99, 1], [3 / 4, 4 / 3])).toEqual({
      top: 6,
      left: 0,
      height: 27,
      width: 20,
    });
  });
});

describe('randomResizedCrop', () => {
  it('crops each image with its own box, exactly as resizedCrop with that box', () => {
    const images = tf.randomUniform([6, 20, 16, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const rng = createRng(4);
    const state = rng.getState();
    const out = randomResizedCrop({ size: [12, 10] })(images, rng);
    expect(out.shape).toEqual([6, 12, 10, 3]);
    rng.setState(state);
    for (let i = 0; i < 6; i++) {
      const box = sampleResizedCrop(rng, 20, 16);
      const [img, got] = [imageAt(images, i), imageAt(out, i)];
      const expected = resizedCrop(img, box.top, box.left, box.height, box.width, [12, 10], 'bilinear');
      expect(maxAbsDiff(expected, got)).toBeLessThan(1e-6);
      tf.dispose([img, got, expected]);
    }
    tf.dispose([images, out]);
  });

  it('gives identical images different crops, repeats with the same seed, and does not leak', () => {
    const one = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 8);
    const images = tf.tile(one, [8, 1, 1, 1]) as tf.Tensor4D;
    const crop = randomResizedCrop({ size: 8, interpolation: 'bicubic' });
    const before = tf.memory().numTensors;
    const a = crop(images, createRng(5));
    const b = crop(images, createRng(5));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(countDistinctImages(a)).toBe(8);
    tf.dispose([one, images, a, b]);
  });

  it('rejects bad options with the argument named', () => {
    expect(() => randomResizedCrop({ size: 0 })).toThrow(/size must be a positive integer.*got 0/);
    expect(() => randomResizedCrop({ size: 8, scale: [0.5, 0.1] })).toThrow(/scale must be \[min, max\]/);
    expect(() => randomResizedCrop({ size: 8, ratio: [0, 1] })).toThrow(/ratio/);
    expect(() => randomResizedCrop({ size: 8, interpolation: 'nearest' as never })).toThrow(/interpolation/);
  });
});
