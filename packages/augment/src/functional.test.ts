import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { centerCrop } from './center-crop';
import { adjustBrightness, adjustContrast, adjustSaturation } from './color-adjust';
import { gaussianBlur } from './gaussian-blur';
import { rgbToGrayscale } from './grayscale';
import { hflip } from './hflip';
import { adjustHue } from './hue';
import { normalize } from './normalize';
import { resize, resizedCrop, resizedShape } from './resized-crop';
import { roundHalfEven } from './round-half-even';
import { solarize } from './solarize';
import { imageAt, maxAbsDiff } from './test-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

const image = () => tf.randomUniform([7, 6, 3], 0, 1, 'float32', 1) as tf.Tensor3D;

describe('functional ops beyond the reference cases', () => {
  it('a batch with one factor per image equals each image done alone (numbers, arrays, tensors)', () => {
    const batch = tf.randomUniform([3, 7, 6, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const cases: Array<[(x: any, f: any) => tf.Tensor, number[]]> = [
      [adjustBrightness, [0.5, 1, 1.7]],
      [adjustContrast, [0.2, 1.3, 0]],
      [adjustSaturation, [0, 2, 0.7]],
      [adjustHue, [-0.5, 0.25, 0.5]],
      [solarize, [0, 0.5, 1]],
    ];
    for (const [op, factors] of cases) {
      const factorTensor = tf.tensor1d(factors);
      const before = tf.memory().numTensors;
      const fromArray = op(batch, factors);
      const fromTensor = op(batch, factorTensor);
      expect(tf.memory().numTensors).toBe(before + 2);
      factors.forEach((f, i) => {
        const img = imageAt(batch, i);
        const alone = op(img, f);
        const [a, b] = [imageAt(fromArray as tf.Tensor4D, i), imageAt(fromTensor as tf.Tensor4D, i)];
        expect(maxAbsDiff(alone, a)).toBeLessThan(1e-6);
        expect(maxAbsDiff(alone, b)).toBeLessThan(1e-6);
        tf.dispose([img, alone, a, b]);
      });
      tf.dispose([fromArray, fromTensor, factorTensor]);
    }
    batch.dispose();
  });

  it('identity settings leave the image unchanged', () => {
    const img = image();
    for (const out of [
      adjustBrightness(img, 1),
      adjustContrast(img, 1),
      adjustSaturation(img, 1),
      adjustHue(img, 0),
      resize(img, [7, 6], 'bicubic'),
      resize(img, 6),
      resizedCrop(img, 0, 0, 7, 6, [7, 6], 'bicubic'),
      centerCrop(img, [7, 6]),
      hflip(hflip(img)),
    ]) {
      expect(maxAbsDiff(out, img)).toBeLessThan(1e-6);
      out.dispose();
    }
    img.dispose();
  });

  it('grayscale has one channel by default; gray images stay gray under hue and saturation', () => {
    const img = image();
    const gray = rgbToGrayscale(img);
    expect(gray.shape).toEqual([7, 6, 1]);
    const gray3 = rgbToGrayscale(img, 3);
    const rotated = adjustHue(gray3, 0.3);
    expect(maxAbsDiff(rotated, gray3)).toBeLessThan(1e-6);
    // One-channel images are gray already: grayscale, hue and saturation keep them (torchvision).
    const kept = [rgbToGrayscale(gray), adjustHue(gray, 0.4), adjustSaturation(gray, 1.7)];
    for (const k of kept) expect(maxAbsDiff(k, gray)).toBeLessThan(1e-6);
    tf.dispose([img, gray, gray3, rotated, ...kept]);
  });

  it('bicubic upsampling overshoots [0, 1] like torchvision (no clamp); bilinear stays inside', () => {
    const step = tf.tensor3d([0, 0, 1, 1], [1, 4, 1]);
    const cubic = resize(step, [1, 16], 'bicubic');
    const linear = resize(step, [1, 16], 'bilinear');
    expect(Math.min(...cubic.dataSync())).toBeLessThan(-0.01);
    expect(Math.max(...cubic.dataSync())).toBeGreaterThan(1.01);
    expect(Math.min(...linear.dataSync())).toBeGreaterThanOrEqual(0);
    expect(Math.max(...linear.dataSync())).toBeLessThanOrEqual(1);
    tf.dispose([step, cubic, linear]);
  });

  it('resize keeps the aspect ratio with floor on the longer side; centre crop pads with zeros', () => {
    expect(resizedShape(13, 9, 5)).toEqual([7, 5]);
    expect(resizedShape(9, 13, 6)).toEqual([6, 8]);
    expect(resizedShape(500, 375, 256)).toEqual([341, 256]);
    const img = tf.ones([2, 3, 3]) as tf.Tensor3D;
    const padded = centerCrop(img, [5, 4]);
    // [left, top, right, bottom] = [0, 1, 1, 2]: rows 1-2 and columns 0-2 hold the image.
    expect(Array.from(tf.tidy(() => tf.sum(padded, 2)).dataSync())).toEqual([
      0, 0, 0, 0, 3, 3, 3, 0, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect([2.5, 1.5, 0.5, 3.5, -0.5, 2.4].map(roundHalfEven)).toEqual([2, 2, 0, 4, -0, 2]);
    tf.dispose([img, padded]);
  });

  it('a crop box reaching outside the image reads zeros there, as torchvision F.crop', () => {
    const img = tf.ones([4, 4, 3]) as tf.Tensor3D;
    // Rows -2..1 and columns 2..5: the top half and the right half of the box are outside.
    const out = resizedCrop(img, -2, 2, 4, 4, [4, 4]);
    const expected = tf.tensor3d([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0], [4, 4, 1]);
    expect(maxAbsDiff(out, tf.tile(expected, [1, 1, 3]))).toBe(0);
    tf.dispose([img, out, expected]);
  });

  it('gaussianBlur uses torchvision’s default sigma when none is given and keeps the mean of a constant', () => {
    const img = image();
    const byDefault = gaussianBlur(img, 5);
    const explicit = gaussianBlur(img, [5, 5], [1.1, 1.1]); // 0.3 * ((5 - 1) / 2 - 1) + 0.8
    expect(maxAbsDiff(byDefault, explicit)).toBeLessThan(1e-6);
    const flat = tf.fill([5, 5, 3], 0.3) as tf.Tensor3D;
    const blurred = gaussianBlur(flat, [3, 5], [0.5, 2]);
    expect(maxAbsDiff(blurred, flat)).toBeLessThan(1e-6);
    tf.dispose([img, byDefault, explicit, flat, blurred]);
  });

  it('errors name the argument, its value and what was expected', () => {
    const img = image();
    expect(() => adjustBrightness(img, -1)).toThrow('adjustBrightness: factor must be a non-negative number, got -1');
    expect(() => adjustHue(img, 0.7)).toThrow('adjustHue: factor must be in [-0.5, 0.5], got 0.7');
    expect(() => adjustHue(tf.zeros([2, 2, 2]) as tf.Tensor3D, 0.1)).toThrow(/must have 1 or 3 channels.*\[2, 2, 2\]/);
    expect(() => solarize(img, 2)).toThrow('solarize: threshold must be in [0, 1] for float images, got 2');
    expect(() => adjustContrast(tf.zeros([2, 4, 4, 3]) as tf.Tensor4D, [1, 2, 3])).toThrow(
      'adjustContrast: factor has 3 values but the batch has 2 images',
    );
    expect(() => rgbToGrayscale(img, 2 as never)).toThrow('rgbToGrayscale: numOutputChannels must be 1 or 3, got 2');
    expect(() => gaussianBlur(img, 4, 1)).toThrow('gaussianBlur: kernelSize must be an odd positive integer, got 4');
    expect(() => gaussianBlur(img, 3, [1, 0])).toThrow('gaussianBlur: sigma must be positive, got [1,0]');
    expect(() => resizedCrop(img, 0.5, 0, 4, 4, [2, 2])).toThrow(
      'resizedCrop: top and left must be integers, got top 0.5, left 0',
    );
    expect(() => resizedCrop(img, 0, 0, 0, 4, [2, 2])).toThrow('resizedCrop: height must be an integer >= 1, got 0');
    expect(() => resizedCrop(img, 0, 0, 2, 2, [2, 2], 'nearest' as never)).toThrow(
      /interpolation must be 'bilinear' or 'bicubic', got "nearest"/,
    );
    expect(() => resize(img, 0)).toThrow('resize: size must be an integer >= 1, got 0');
    expect(() => centerCrop(img, [0, 2])).toThrow(
      /centerCrop: size must be a positive integer or \[height, width\], got \[0,2\]/,
    );
    expect(() => normalize(img, [0.5, 0.5], [1, 1, 1])).toThrow(
      'normalize: mean must hold 3 finite numbers (one per channel), got [0.5,0.5]',
    );
    expect(() => normalize(img, [0, 0, 0], [1, 0, 1])).toThrow(/std must hold 3 non-zero numbers/);
    expect(() => hflip(tf.zeros([4]) as never)).toThrow(
      'hflip: img must be a tensor [H, W, C] or [N, H, W, C], got a tensor of shape [4]',
    );
    img.dispose();
  });
});
