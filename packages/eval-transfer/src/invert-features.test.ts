import * as tf from '@tensorflow/tfjs-core';
import { createBackbone } from '@selfsup/backbones';
import { imagesToTensor, loadImageFolder, select } from '@selfsup/datasets/node';
import { type Encoder, initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { invertFeatures } from './invert-features';
import { colourError } from './mean-colour';
import { perceptualDistance } from './perceptual-distance';

let encoder: Encoder;
let images: tf.Tensor4D;
beforeAll(async () => {
  await initBackend('wasm');
  encoder = createBackbone({ arch: 'convnet', widthMultiplier: 0.25, seed: 0 });
});
afterAll(() => {
  images?.dispose();
  encoder?.dispose();
});

describeWithData('invertFeatures and perceptualDistance on CIFAR-10 images', () => {
  beforeAll(async () => {
    const all = await loadImageFolder(dataPath('cifar10', 'test'));
    images = imagesToTensor(select(all, [0, 1, 2]));
  });

  it('reconstructs images whose features approach the originals, seeded, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const res = invertFeatures(encoder, images, { steps: 40, seed: 1, onStep: (s) => losses.push(s.featureLoss) });
    expect(losses).toHaveLength(40);
    expect(res.featureLoss).toBeLessThan(0.5 * losses[0]);
    expect(res.images.shape).toEqual(images.shape);
    const [lo, hi] = [tf.min(res.images), tf.max(res.images)].map((t) => {
      const v = t.dataSync()[0];
      t.dispose();
      return v;
    });
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    const again = invertFeatures(encoder, images, { steps: 40, seed: 1 });
    expect(Array.from(again.images.dataSync())).toEqual(Array.from(res.images.dataSync()));
    // The two measures of the paper's inversion analysis.
    expect(colourError(images, res.images)).toBeGreaterThan(0);
    const d = perceptualDistance(images, res.images);
    expect(d.perImage).toHaveLength(3);
    expect(d.distance).toBeGreaterThan(0);
    tf.dispose([res.images, again.images]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('perceptualDistance: 0 for identical images, symmetric, growing with the noise added', () => {
    const noisy = (std: number) =>
      tf.tidy(
        () => tf.clipByValue(tf.add(images, tf.randomNormal(images.shape, 0, std, 'float32', 3)), 0, 1) as tf.Tensor4D,
      );
    const [small, large] = [noisy(0.05), noisy(0.3)];
    expect(perceptualDistance(images, images).distance).toBe(0);
    const ab = perceptualDistance(images, small).distance;
    expect(Math.abs(ab - perceptualDistance(small, images).distance)).toBeLessThan(1e-6);
    expect(perceptualDistance(images, large).distance).toBeGreaterThan(ab);
    expect(perceptualDistance(images, small, { seed: 5 }).distance).not.toBe(ab);
    tf.dispose([small, large]);
  });

  it('names the argument and the problem', () => {
    expect(() => invertFeatures(encoder, images, { steps: 0 })).toThrow(/options.steps must be a positive integer/);
    expect(() => invertFeatures(encoder, images, { tvWeight: -1 })).toThrow(/options.tvWeight/);
    const external = { cacheId: 'x', encode: async () => ({ data: new Float32Array(), dim: 1 }), dispose() {} };
    expect(() => invertFeatures(external, images)).toThrow(/external \(ONNX\) model/);
    const other = tf.zeros([3, 16, 16, 3]) as tf.Tensor4D;
    expect(() => perceptualDistance(images, other)).toThrow(/same shape/);
    other.dispose();
  });
});
