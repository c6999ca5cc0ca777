import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalTransform } from '@selfsup/augment';
import { resnet18, withInputNormalization } from '@selfsup/backbones';
import { loadImageFolder, select, type ImageDataset } from '@selfsup/datasets/node';
import { initBackend, type Encoder } from '@selfsup/runtime';
import { writeSafetensors } from '@selfsup/runtime/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { directoryFeatureStore } from './directory-feature-store';
import { extractFeatures, featureCacheKey, memoryFeatureStore } from './extract-features';

/** Counts forward passes, so a test can see whether the cache answered. */
function counting(encoder: Encoder): Encoder & { calls: number } {
  const wrapped = Object.create(encoder) as Encoder & { calls: number };
  wrapped.calls = 0;
  wrapped.apply = (x, opts) => {
    wrapped.calls++;
    return encoder.apply(x, opts);
  };
  return wrapped;
}

let dir: string;
beforeAll(async () => {
  await initBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'eval-transfer-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithData('extractFeatures on CIFAR-10 with a random-init ResNet-18', () => {
  let images: ImageDataset;
  let encoder: ReturnType<typeof resnet18>;
  beforeAll(async () => {
    const all = await loadImageFolder(dataPath('cifar10', 'test'));
    images = select(
      all,
      Array.from({ length: 24 }, (_, i) => i * 41),
    );
    encoder = resnet18({ stem: 'cifar', widthMultiplier: 0.125, seed: 3 });
  });

  it('equals one eval-mode forward pass of the transformed batch, whatever the batch size', async () => {
    const transform = evalTransform({ crop: 24, resize: 28 });
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const batched = await extractFeatures(encoder, images, {
      transform,
      batchSize: 10,
      onProgress: (done) => progress.push(done),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([10, 20, 24]);
    expect([batched.n, batched.dim]).toEqual([24, encoder.outputDim]);
    const direct = tf.tidy(() => {
      const x = tf.tensor4d(
        Float32Array.from(images.images, (v) => v / 255),
        images.shape,
      );
      return encoder.apply(transform(x, undefined as never), { training: false }).dataSync();
    });
    for (let i = 0; i < direct.length; i++)
      expect(Math.abs(batched.data[i] - direct[i])).toBeLessThan(1e-4 * (1 + Math.abs(direct[i])));
  });

  it('answers from the cache only for the same weights, data and transform id', async () => {
    const cache = memoryFeatureStore();
    const counted = counting(encoder);
    const transform = evalTransform({ crop: 32 });
    const opts = { transform, transformId: 'eval32', cache, batchSize: 24 };
    const first = await extractFeatures(counted, images, opts);
    expect(counted.calls).toBe(1);
    expect(await extractFeatures(counted, images, opts)).toBe(first);
    expect(counted.calls).toBe(1);
    await extractFeatures(counted, images, { ...opts, transformId: 'eval32-other' });
    expect(counted.calls).toBe(2);
    await extractFeatures(counted, select(images, [0, 1, 2]), opts);
    expect(counted.calls).toBe(3);
    const keyBefore = featureCacheKey(encoder, images, 'eval32');
    const weight = encoder.state().values().next().value!;
    const original = weight.clone();
    weight.assign(tf.tidy(() => tf.add(weight, 1e-3)));
    expect(featureCacheKey(encoder, images, 'eval32')).not.toBe(keyBefore);
    await extractFeatures(counted, images, opts);
    expect(counted.calls).toBe(4);
    weight.assign(original);
    original.dispose();
    // The same weights behind an input standardisation are another encoder.
    const standardised = withInputNormalization(encoder, { mean: [0.5], std: [0.25] });
    expect(featureCacheKey(standardised, images, 'eval32')).not.toBe(featureCacheKey(encoder, images, 'eval32'));
    await expect(extractFeatures(counted, images, { transform, cache })).rejects.toThrow(/transformId is required/);
  });

  it('caches on disk atomically and never trusts a file written for another key', async () => {
    const counted = counting(encoder);
    const opts = { transform: evalTransform({ crop: 32 }), transformId: 'eval32', cache: directoryFeatureStore(dir) };
    const first = await extractFeatures(counted, images, opts);
    const again = await extractFeatures(counted, images, opts);
    expect(counted.calls).toBe(1);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Overwrite the entry with other features under another key: it must be recomputed.
    await writeSafetensors(
      join(dir, files[0]),
      { features: { dtype: 'F32', shape: [first.n, first.dim], data: new Float32Array(first.data.length) } },
      { key: 'other' },
    );
    const recomputed = await extractFeatures(counted, images, opts);
    expect(counted.calls).toBe(2);
    expect(Array.from(recomputed.data)).toEqual(Array.from(first.data));
  });

  it('rejects a bad batch size and a non-encoder', async () => {
    await expect(extractFeatures(encoder, images, { batchSize: 0 })).rejects.toThrow(
      /batchSize must be a positive integer, got 0/,
    );
    await expect(extractFeatures({} as Encoder, images)).rejects.toThrow(/encoder must be an Encoder/);
  });
});
