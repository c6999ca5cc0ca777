import { loadIdx } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { fewShot } from './few-shot';
import { knnClassify } from './knn';
import { linearProbe } from './linear-probe';
import { top1 } from './metrics';
import { PROTOCOL_DEFAULTS } from './protocol-defaults';
import type { FeatureMatrix } from './feature-matrix';
import { calibrationProtocol, fewShotProtocol, knnProtocol, linearProtocol } from './protocols';
import { expectedCalibrationError } from './calibration';

interface Split {
  features: FeatureMatrix;
  labels: Int32Array;
}

// Raw Fashion-MNIST pixels as features: train = first 600 test images, test = the next 400.
describeWithData('protocols: one { train, val?, test } → { metric, value, details } shape', () => {
  let splits: { train: Split; test: Split };
  beforeAll(async () => {
    await initBackend('cpu');
    const dir = dataPath('fashion-mnist');
    const ds = await loadIdx(`${dir}/t10k-images-idx3-ubyte.gz`, `${dir}/t10k-labels-idx1-ubyte.gz`);
    const rows = (from: number, to: number): Split => ({
      features: {
        data: Float32Array.from(ds.images.subarray(from * 784, to * 784), (v) => v / 255),
        n: to - from,
        dim: 784,
      },
      labels: ds.labels.slice(from, to),
    });
    splits = { train: rows(0, 600), test: rows(600, 1000) };
  });

  it('kNN: the paper defaults, and the same top-1 as knnClassify scored by hand', () => {
    const res = knnProtocol(splits);
    expect(res.metric).toBe('top1');
    expect(res.details).toEqual({ k: PROTOCOL_DEFAULTS.knn.k, temperature: PROTOCOL_DEFAULTS.knn.temperature });
    const { predictions } = knnClassify({
      trainFeatures: splits.train.features,
      trainLabels: splits.train.labels,
      testFeatures: splits.test.features,
      numClasses: 10,
    });
    expect(res.value).toBe(top1(predictions, splits.test.labels));
    expect(res.value).toBeGreaterThan(0.6);
  });

  it('linear and few-shot: the values of linearProbe and fewShot, in the one shape', () => {
    const linear = linearProtocol(splits, { cGrid: [1], seed: 0, maxIter: 15 });
    const probe = linearProbe({ ...splits, cGrid: [1], seed: 0, maxIter: 15 });
    expect(linear).toMatchObject({ metric: 'top1', value: probe.testScore, details: { C: probe.C } });
    // The probe's test ECE is that of its probabilities (classes 0-9 are the columns here).
    const ece = expectedCalibrationError(
      { data: probe.models[0].predictProba(splits.test.features), n: splits.test.features.n, dim: 10 },
      splits.test.labels,
    );
    expect(Array.from(probe.models[0].classes)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(probe.testCalibration).toEqual(ece);
    expect(linear.details.ece).toBe(ece.ece);
    const calibration = calibrationProtocol(splits, { cGrid: [1], seed: 0, maxIter: 15 });
    expect(calibration).toMatchObject({
      metric: 'ece',
      value: ece.ece,
      details: { top1: probe.testScore, bins: ece.bins },
    });
    const few = fewShotProtocol(splits, { shots: 5, episodes: 20, seed: 3 });
    const direct = fewShot({
      features: splits.test.features,
      labels: splits.test.labels,
      shots: 5,
      episodes: 20,
      seed: 3,
    });
    expect(few).toMatchObject({
      metric: 'top1',
      value: direct.accuracy,
      details: { ways: 5, queries: 15, ci95: direct.ci95 },
    });
  });
});
