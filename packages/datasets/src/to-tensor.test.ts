import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { describeWithData } from '@selfsup/testing';
import { loadFashionMnistTest } from '../test/fixtures';
import type { ImageDataset } from './image-dataset';
import { imagesToTensor, labelsToTensor } from './to-tensor';

describeWithData('imagesToTensor / labelsToTensor on Fashion-MNIST test', () => {
  let ds: ImageDataset;
  beforeAll(async () => {
    await initBackend('wasm');
    ds = await loadFashionMnistTest();
  });

  it('gives float32 NHWC in [0, 1] equal to uint8 / 255 (torchvision ToTensor), and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const images = imagesToTensor(ds, [7, 3]);
    const labels = labelsToTensor(ds, [7, 3]);
    expect(images.shape).toEqual([2, 28, 28, 1]);
    expect(images.dtype).toBe('float32');
    expect(labels.dtype).toBe('int32');
    expect(Array.from(labels.dataSync())).toEqual([ds.labels[7], ds.labels[3]]);
    const values = images.dataSync();
    for (const j of [0, 100, 400, 783]) {
      expect(values[j]).toBe(Math.fround(ds.images[7 * 784 + j] / 255));
      expect(values[784 + j]).toBe(Math.fround(ds.images[3 * 784 + j] / 255));
    }
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    tf.dispose([images, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without indices converts the whole dataset; bad indices name their position', () => {
    const all = imagesToTensor(ds);
    expect(all.shape).toEqual([10000, 28, 28, 1]);
    all.dispose();
    expect(() => imagesToTensor(ds, [0, -1])).toThrow(
      /imagesToTensor: indices\[1\] = -1 is not an image index in \[0, 10000\)/,
    );
    expect(() => labelsToTensor(ds, [1.5])).toThrow(/labelsToTensor: indices\[0\] = 1.5 is not an image index/);
  });
});
