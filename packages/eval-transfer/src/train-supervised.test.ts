import * as tf from '@tensorflow/tfjs-core';
import { convnet } from '@selfsup/backbones';
import { loadImageFolder, select, subset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { extractFeatures } from './extract-features';
import { knnClassify } from './knn';
import { top1 } from './metrics';
import { trainSupervised } from './train-supervised';

beforeAll(async () => {
  await initBackend('wasm');
});

describeWithData('trainSupervised on MNIST', () => {
  it('trains the encoder in place: its features classify held-out digits better, no tensor leaks', async () => {
    const picked = subset(await loadImageFolder(dataPath('mnist', 'test')), 60, 0);
    const rows = Array.from({ length: 600 }, (_, i) => i);
    const train = select(
      picked,
      rows.filter((i) => i % 3 !== 2),
    );
    const test = select(
      picked,
      rows.filter((i) => i % 3 === 2),
    );
    const encoder = convnet({ widths: [8, 16, 32], inputChannels: 1, seed: 1 });
    const knnAccuracy = async () => {
      const [a, b] = [await extractFeatures(encoder, train), await extractFeatures(encoder, test)];
      const { predictions } = knnClassify({
        trainFeatures: a,
        trainLabels: train.labels,
        testFeatures: b,
        k: 10,
        numClasses: 10,
      });
      return top1(predictions, test.labels);
    };
    const before = await knnAccuracy();
    const tensors = tf.memory().numTensors;
    const losses: number[] = [];
    const { steps } = await trainSupervised({
      encoder,
      data: train,
      epochs: 6,
      batchSize: 20,
      learningRate: 0.1,
      seed: 0,
      onStep: async (step, total, loss) => {
        if (step === 1 || step === total) losses.push(await loss());
      },
    });
    expect(steps).toBe(120); // 6 epochs of 400 images in batches of 20
    expect(tf.memory().numTensors).toBe(tensors);
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(await knnAccuracy()).toBeGreaterThan(before);
    encoder.dispose();
  });

  it('rejects bad settings by name', async () => {
    const encoder = convnet({ widths: [4], inputChannels: 1 });
    const data = {
      images: new Uint8Array(4 * 4 * 4),
      labels: new Int32Array(4),
      shape: [4, 4, 4, 1] as [number, number, number, number],
      classes: ['a'],
    };
    await expect(trainSupervised({ encoder, data, epochs: 0, batchSize: 2 })).rejects.toThrow(
      /epochs must be > 0, got 0/,
    );
    await expect(trainSupervised({ encoder, data, epochs: 1, batchSize: 1 })).rejects.toThrow(
      /batchSize must be an integer >= 2, got 1/,
    );
    encoder.dispose();
  });
});
