import * as tf from '@tensorflow/tfjs-core';
import { loadIdx } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { knnClassify } from './knn';
import { top1 } from './metrics';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('knnClassify', () => {
  it('weights the k most cosine-similar rows by exp(sim / T) (hand-computed)', () => {
    // Train directions at 0, 60, 90 and 180 degrees; query at 0 degrees (length is irrelevant).
    const deg = (a: number) => [Math.cos((a * Math.PI) / 180) * 3, Math.sin((a * Math.PI) / 180) * 3];
    const r = knnClassify({
      trainFeatures: [deg(0), deg(60), deg(90), deg(180)],
      trainLabels: [0, 1, 1, 0],
      testFeatures: [[2, 0]],
      k: 3,
      temperature: 0.5,
    });
    // Neighbours: cos 1 (class 0), cos 0.5 (class 1), cos 0 (class 1).
    expect(r.scores[0]).toBeCloseTo(Math.exp(1 / 0.5), 4);
    expect(r.scores[1]).toBeCloseTo(Math.exp(0.5 / 0.5) + Math.exp(0), 4);
    expect(Array.from(r.predictions)).toEqual([0]);
  });

  it('rejects bad arguments with the value and what was expected', () => {
    const base = {
      trainFeatures: [
        [1, 0],
        [0, 1],
      ],
      trainLabels: [0, 1],
      testFeatures: [[1, 1]],
    };
    expect(() => knnClassify({ ...base, k: 3 })).toThrow(/k must be an integer in \[1, 2\].*got 3/);
    expect(() => knnClassify({ ...base, k: 1, temperature: 0 })).toThrow(/temperature must be > 0, got 0/);
    expect(() => knnClassify({ ...base, k: 1, trainLabels: [0] })).toThrow(
      /trainLabels has 1 labels but the features have 2 rows/,
    );
    expect(() => knnClassify({ ...base, k: 1, testFeatures: [[1, 1, 1]] })).toThrow(
      /dim 3 but trainFeatures have dim 2/,
    );
    expect(() => knnClassify({ ...base, k: 1, testFeatures: [[NaN, 1]] })).toThrow(/non-finite value NaN/);
    expect(() => knnClassify({ ...base, k: 1, numClasses: 1 })).toThrow(
      /numClasses must be an integer > the largest label 1/,
    );
  });
});

describeWithData('knnClassify on Fashion-MNIST raw pixels', () => {
  it('classifies far above chance, independent of the chunk size, without leaking tensors', async () => {
    const ds = await loadIdx(
      dataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz'),
      dataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz'),
    );
    const dim = 28 * 28;
    const features = Float32Array.from(ds.images, (v) => v / 255);
    const nTrain = 4000,
      nTest = 500;
    const trainFeatures = { data: features.subarray(0, nTrain * dim), n: nTrain, dim };
    const testFeatures = { data: features.subarray(nTrain * dim, (nTrain + nTest) * dim), n: nTest, dim };
    const trainLabels = Array.from(ds.labels).slice(0, nTrain);
    const testLabels = Array.from(ds.labels).slice(nTrain, nTrain + nTest);
    const before = tf.memory().numTensors;
    const a = knnClassify({ trainFeatures, trainLabels, testFeatures, k: 200, temperature: 0.1 });
    const b = knnClassify({ trainFeatures, trainLabels, testFeatures, k: 200, temperature: 0.1, chunkSize: 97 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
    const accuracy = top1(a.predictions, testLabels);
    // Chance is 0.1; raw-pixel kNN on Fashion-MNIST is known to reach ~0.75-0.85.
    expect(accuracy).toBeGreaterThan(0.65);
  });
});
