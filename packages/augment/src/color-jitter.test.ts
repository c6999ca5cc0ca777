import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustBrightness, adjustContrast, adjustSaturation } from './color-adjust';
import { colorJitter, sampleColorJitter } from './color-jitter';
import { adjustHue } from './hue';
import { countDistinctImages, imageAt, maxAbsDiff } from './test-helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

const BYOL = { brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, p: 0.8 };

function stats(xs: Float32Array, mask: Uint8Array) {
  const picked = Array.from(xs).filter((_, i) => mask[i]);
  const mean = picked.reduce((a, b) => a + b, 0) / picked.length;
  return { min: Math.min(...picked), max: Math.max(...picked), mean };
}

describe('sampleColorJitter', () => {
  it('draws factors uniformly in torchvision ranges, per image, with probability p', () => {
    const n = 20000;
    const params = sampleColorJitter(createRng(11), n, BYOL);
    const applied = params.applied.reduce((a, b) => a + b, 0) / n;
    expect(applied).toBeGreaterThan(0.79);
    expect(applied).toBeLessThan(0.81);
    // U[0.6, 1.4], U[0.6, 1.4], U[0.8, 1.2], U[-0.1, 0.1]: bounds and means.
    const b = stats(params.brightness, params.applied);
    expect(b.min).toBeGreaterThanOrEqual(0.6);
    expect(b.max).toBeLessThanOrEqual(1.4);
    expect(b.mean).toBeCloseTo(1, 2);
    const s = stats(params.saturation, params.applied);
    expect(s.min).toBeGreaterThanOrEqual(0.8);
    expect(s.max).toBeLessThanOrEqual(1.2);
    const h = stats(params.hue, params.applied);
    expect(h.min).toBeGreaterThanOrEqual(-0.1);
    expect(h.max).toBeLessThanOrEqual(0.1);
    expect(h.mean).toBeCloseTo(0, 2);
    expect(h.max - h.min).toBeGreaterThan(0.19);
  });

  it('orders the four adjustments by a uniform random permutation per image', () => {
    const n = 24000;
    const params = sampleColorJitter(createRng(12), n, { brightness: 0.4, p: 1 });
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const key = Array.from(params.order.subarray(4 * i, 4 * i + 4)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].every((key) => [...key].sort().join('') === '0123')).toBe(true);
    expect(counts.size).toBe(24);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('uses [max(0, 1 - b), 1 + b] and treats 0 as off, as torchvision', () => {
    const params = sampleColorJitter(createRng(13), 2000, { brightness: 1.5, contrast: 0, hue: [0.2, 0.3] });
    expect(Math.min(...params.brightness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...params.brightness)).toBeGreaterThan(2.4);
    expect(new Set(params.contrast)).toEqual(new Set([1]));
    expect(Math.min(...params.hue)).toBeGreaterThanOrEqual(0.2);
    expect(() => sampleColorJitter(createRng(1), 1, { hue: 0.7 })).toThrow(
      /hue must be a finite number in \[0, 0.5\], got 0.7/,
    );
    expect(() => sampleColorJitter(createRng(1), 1, { p: 2 })).toThrow(/p must be a finite number in \[0, 1\], got 2/);
  });
});

describe('colorJitter', () => {
  it('applies, per image, exactly the functional ops in that image’s order with its factors', () => {
    const images = tf.randomUniform([10, 6, 5, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const rng = createRng(14);
    const state = rng.getState();
    const out = colorJitter({ ...BYOL, p: 0.7 })(images, rng);
    rng.setState(state);
    const params = sampleColorJitter(rng, 10, { ...BYOL, p: 0.7 });
    const ops = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
    const factors = [params.brightness, params.contrast, params.saturation, params.hue];
    for (let i = 0; i < 10; i++) {
      let img = imageAt(images, i);
      if (params.applied[i]) {
        for (const op of params.order.subarray(4 * i, 4 * i + 4)) {
          const next = ops[op](img, factors[op][i]);
          img.dispose();
          img = next;
        }
      }
      const got = imageAt(out, i);
      expect(maxAbsDiff(got, img)).toBeLessThan(2e-6);
      tf.dispose([img, got]);
    }
    expect(params.applied.some((a) => a === 0)).toBe(true);
    tf.dispose([images, out]);
  });

  it('repeats with the same seed, varies across images and does not leak', () => {
    const one = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 4);
    const images = tf.tile(one, [6, 1, 1, 1]) as tf.Tensor4D;
    const jitter = colorJitter({ ...BYOL, p: 1 });
    const before = tf.memory().numTensors;
    const a = jitter(images, createRng(15));
    const b = jitter(images, createRng(15));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(countDistinctImages(a)).toBe(6);
    tf.dispose([one, images, a, b]);
  });
});
