import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { describeWithData } from '@selfsup/testing';
import { loadFashionMnistTest } from '../test/fixtures';
import { episodes, sampleEpisodes } from './episodes';
import type { ImageDataset } from './image-dataset';
import { imagesToTensor } from './to-tensor';

describeWithData('few-shot episodes on Fashion-MNIST test labels', () => {
  let ds: ImageDataset;
  beforeAll(async () => {
    await initBackend('wasm');
    ds = await loadFashionMnistTest();
  });

  it('5-way 5-shot 15-query episodes: distinct classes, disjoint support and query of the right class', () => {
    const sampled = sampleEpisodes(ds.labels, { shots: 5, episodes: 600, seed: 0 });
    expect(sampled).toHaveLength(600);
    const classUse = new Array(10).fill(0);
    for (const e of sampled) {
      expect(new Set(e.classes).size).toBe(5);
      expect(e.support).toHaveLength(25);
      expect(e.query).toHaveLength(75);
      expect(new Set([...e.support, ...e.query]).size).toBe(100);
      e.support.forEach((i, k) => expect(ds.labels[i]).toBe(e.classes[e.supportLabels[k]]));
      e.query.forEach((i, k) => expect(ds.labels[i]).toBe(e.classes[e.queryLabels[k]]));
      expect(Array.from(e.supportLabels.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 1]);
      e.classes.forEach((c) => classUse[c]++);
    }
    // Each class is drawn with probability 1/2 per episode: 300 expected, sd ~12.
    for (const n of classUse) expect(Math.abs(n - 300)).toBeLessThan(60);
  });

  it('same seed same episodes, other seed other episodes', () => {
    const opts = { ways: 3, shots: 1, queries: 2, episodes: 20 };
    expect(sampleEpisodes(ds.labels, { ...opts, seed: 4 })).toEqual(sampleEpisodes(ds.labels, { ...opts, seed: 4 }));
    expect(sampleEpisodes(ds.labels, { ...opts, seed: 5 })).not.toEqual(
      sampleEpisodes(ds.labels, { ...opts, seed: 4 }),
    );
  });

  it('a class too small for shots + queries, or too few classes, is an error', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2]);
    expect(() => sampleEpisodes(labels, { ways: 2, shots: 2, queries: 1, episodes: 1, seed: 0 })).toThrow(
      /classes 1 \(2\) have fewer than shots \+ queries = 3 images/,
    );
    expect(() => sampleEpisodes(labels, { ways: 4, shots: 1, queries: 1, episodes: 1, seed: 0 })).toThrow(
      /ways = 4 but the labels hold only 3 classes/,
    );
    expect(() => sampleEpisodes(labels, { shots: 0, episodes: 1, seed: 0 })).toThrow(
      /shots must be a positive integer, got 0/,
    );
  });

  it('episodes() yields the sampled images as tensors, lazily, without leaks', () => {
    const opts = { ways: 5, shots: 2, queries: 3, episodes: 4, seed: 1 };
    const expected = sampleEpisodes(ds.labels, opts);
    const before = tf.memory().numTensors;
    let k = 0;
    for (const e of episodes(ds, opts)) {
      expect(e.indices).toEqual(expected[k++]);
      expect(e.supportImages.shape).toEqual([10, 28, 28, 1]);
      expect(e.queryImages.shape).toEqual([15, 28, 28, 1]);
      expect(Array.from(e.queryLabels.dataSync())).toEqual(Array.from(e.indices.queryLabels));
      const direct = imagesToTensor(ds, e.indices.query);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(direct, e.queryImages))).dataSync()[0])).toBe(0);
      tf.dispose([direct, e.supportImages, e.supportLabels, e.queryImages, e.queryLabels]);
    }
    expect(k).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
