import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { describeWithData } from '@selfsup/testing';
import { loadFashionMnistTest } from '../test/fixtures';
import { batches, epochOrder, type Batch, type BatchOptions } from './batches';
import type { ImageDataset } from './image-dataset';
import { select } from './select';
import { imagesToTensor } from './to-tensor';

/** Run the iterator to the end, keeping indices/epochs and disposing the tensors. */
async function collect(ds: ImageDataset, options: BatchOptions, check?: (batch: Batch) => void) {
  const seen: { indices: number[]; epoch: number }[] = [];
  for await (const batch of batches(ds, options)) {
    check?.(batch);
    seen.push({ indices: Array.from(batch.indices), epoch: batch.epoch });
    tf.dispose([batch.images, batch.labels]);
  }
  return seen;
}

describeWithData('batches on Fashion-MNIST test (10,000 images)', () => {
  let ds: ImageDataset;
  beforeAll(async () => {
    await initBackend('wasm');
    ds = await loadFashionMnistTest();
  });

  it('an epoch visits every image once, in shuffled batches whose tensors hold those images, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    let checked = 0;
    const seen = await collect(ds, { batchSize: 256, seed: 5 }, (batch) => {
      expect(batch.images.dtype).toBe('float32');
      expect(batch.labels.dtype).toBe('int32');
      expect(batch.images.shape).toEqual([batch.indices.length, 28, 28, 1]);
      expect(Array.from(batch.labels.dataSync())).toEqual(Array.from(batch.indices, (i) => ds.labels[i]));
      if (checked++ < 2) {
        const expected = imagesToTensor(ds, batch.indices);
        expect(tf.tidy(() => tf.max(tf.abs(tf.sub(expected, batch.images))).dataSync()[0])).toBe(0);
        tf.dispose(expected);
      }
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.map((b) => b.indices.length)).toEqual([...new Array(39).fill(256), 16]);
    const all = seen.flatMap((b) => b.indices);
    expect(new Set(all).size).toBe(10000);
    expect(all.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('seeded: same seed same order; epoch e uses seed + e; startEpoch resumes; shuffle false keeps order', async () => {
    const twoEpochs = await collect(ds, { batchSize: 1000, seed: 9, epochs: 2 });
    expect(twoEpochs.map((b) => b.epoch)).toEqual([...new Array(10).fill(0), ...new Array(10).fill(1)]);
    const epoch0 = twoEpochs.slice(0, 10).flatMap((b) => b.indices);
    const epoch1 = twoEpochs.slice(10).flatMap((b) => b.indices);
    expect(epoch0).toEqual(Array.from(epochOrder(10000, 9, 0)));
    expect(epoch1).toEqual(Array.from(epochOrder(10000, 9, 1)));
    expect(epoch1).not.toEqual(epoch0);
    // Seed 10, epoch 0 is the same shuffle as seed 9, epoch 1.
    expect(epochOrder(10000, 10, 0)).toEqual(epochOrder(10000, 9, 1));
    const resumed = await collect(ds, { batchSize: 1000, seed: 9, startEpoch: 1 });
    expect(resumed).toEqual(twoEpochs.slice(10));
    // startBatch resumes mid-epoch: what a trainer restarted at step 13 of 10-step epochs gets.
    const midway = await collect(ds, { batchSize: 1000, seed: 9, startEpoch: 1, startBatch: 3 });
    expect(midway).toEqual(twoEpochs.slice(13));
    const ordered = await collect(ds, { batchSize: 3000, shuffle: false });
    expect(ordered[1].indices.slice(0, 3)).toEqual([3000, 3001, 3002]);
  });

  it('dropLast drops the short batch; prefetch off yields the same batches; breaking early leaks nothing', async () => {
    const dropped = await collect(ds, { batchSize: 256, seed: 1, dropLast: true });
    expect(dropped).toHaveLength(39);
    const noPrefetch = await collect(ds, { batchSize: 256, seed: 1, dropLast: true, prefetch: false });
    expect(noPrefetch).toEqual(dropped);
    const before = tf.memory().numTensors;
    for await (const batch of batches(ds, { batchSize: 128, seed: 1 })) {
      tf.dispose([batch.images, batch.labels]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with prefetch the next batch is ready once the consumer yields to the event loop', async () => {
    // Observable without timing: change image 10's bytes after batch 0 was handed
    // out and the consumer awaited a macrotask; a prefetched batch 1 still holds the old bytes.
    const firstPixelOfBatch1 = async (prefetch: boolean) => {
      const copy = select(
        ds,
        Array.from({ length: 20 }, (_, i) => i),
      );
      const iterator = batches(copy, { batchSize: 10, shuffle: false, prefetch });
      const batch0 = (await iterator.next()).value as Batch;
      tf.dispose([batch0.images, batch0.labels]);
      await new Promise((resolve) => setImmediate(resolve));
      copy.images.fill(255, 10 * 784, 11 * 784);
      const batch1 = (await iterator.next()).value as Batch;
      const value = batch1.images.dataSync()[0];
      tf.dispose([batch1.images, batch1.labels]);
      await iterator.return(undefined);
      return value;
    };
    expect(ds.images[10 * 784]).not.toBe(255);
    expect(await firstPixelOfBatch1(true)).toBe(Math.fround(ds.images[10 * 784] / 255));
    expect(await firstPixelOfBatch1(false)).toBe(1);
  });

  it('bad options name the value', async () => {
    await expect(collect(ds, { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer, got 0/);
    await expect(collect(ds, { batchSize: 2, epochs: 1.5 })).rejects.toThrow(/epochs must be an integer >= 0, got 1.5/);
  });
});
