import * as tf from '@tensorflow/tfjs-core';
import { loadIdx } from '@selfsup/datasets/node';
import { createRng, initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { linearProbe, logspace, paperCGrid } from './linear-probe';
import { meanPerClassAccuracy, top1 } from './metrics';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Gaussian blobs: class c centred at 2 * e_c with unit noise, in `dim` dimensions. */
function blobs(perClass: number, numClasses: number, dim: number, seed: number) {
  const rng = createRng(seed);
  const features: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < perClass * numClasses; i++) {
    const c = i % numClasses;
    features.push(Array.from({ length: dim }, (_, j) => (j === c ? 2 : 0) + rng.normal()));
    labels.push(c);
  }
  return { features, labels };
}

describe('linearProbe', () => {
  it("uses the paper's grid: C = 1 / wd for wd in logspace(-6, 5, 45), large to small", () => {
    const grid = paperCGrid();
    expect(grid).toHaveLength(45);
    expect(grid[0]).toBeCloseTo(1e6, 6);
    expect(grid[44]).toBeCloseTo(1e-5, 15);
    expect(grid[1] / grid[0]).toBeCloseTo(10 ** -0.25, 12);
    expect(logspace(0, 2, 3)).toEqual([1, 10, 100]);
  });

  it('picks C on val, refits on train + val and scores test with that model', () => {
    const train = blobs(40, 3, 6, 1);
    const val = blobs(20, 3, 6, 2);
    const test = blobs(30, 3, 6, 3);
    const cGrid = logspace(3, -4, 8);
    const steps: number[] = [];
    const r = linearProbe({ train, val, test, cGrid, metric: 'meanPerClass', onProgress: (s) => steps.push(s.index) });
    expect(steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The first (largest) C among the best validation scores, as linear.py's strict `>`.
    const best = Math.max(...r.valCurve.map((p) => p.score));
    expect(r.C).toBe(r.valCurve.find((p) => p.score === best)!.C);
    expect(new Set(r.valCurve.map((p) => p.score)).size).toBeGreaterThan(1);
    expect(r.testScore).toBe(meanPerClassAccuracy(r.models[0].predict(test.features), test.labels));
    expect(r.testScore).toBeGreaterThan(0.6); // chance 1/3
  });

  it('holds out a seeded stratified 20% of train when no val is given', () => {
    const train = blobs(20, 3, 4, 4);
    const test = blobs(10, 3, 4, 5);
    const a = linearProbe({ train, test, cGrid: [1, 0.1], seed: 7 });
    const b = linearProbe({ train, test, cGrid: [1, 0.1], seed: 7 });
    expect(a.valCurve).toEqual(b.valCurve);
    // 12 val rows (4 per class): scores are multiples of 1/12.
    for (const p of a.valCurve) expect(Math.abs(p.score * 12 - Math.round(p.score * 12))).toBeLessThan(1e-9);
  });

  it('fits one binary model per class for map11 (multi-label)', () => {
    const { features, labels } = blobs(30, 3, 5, 6);
    // Two overlapping labels: "class 0" and "class 0 or 1".
    const targets = labels.map((c) => [c === 0 ? 1 : 0, c <= 1 ? 1 : 0]);
    const split = (from: number, to: number) => ({
      features: features.slice(from, to),
      labels: targets.slice(from, to),
    });
    const r = linearProbe({
      train: split(0, 60),
      val: split(60, 75),
      test: split(75, 90),
      cGrid: [10, 1, 0.1],
      metric: 'map11',
    });
    expect(r.models).toHaveLength(2);
    expect(r.testScore).toBeGreaterThan(0.8);
  });

  it('rejects C <= 0, unknown metrics and mismatched splits', () => {
    const train = blobs(5, 2, 3, 8);
    expect(() => linearProbe({ train, test: train, cGrid: [1, 0] })).toThrow(
      /cGrid\[1\] must be a finite number > 0.*got 0/,
    );
    expect(() => linearProbe({ train, test: train, metric: 'top5' as never })).toThrow(
      /metric must be 'top1'.*got "top5"/,
    );
    expect(() => linearProbe({ train, test: blobs(5, 2, 4, 9), cGrid: [1] })).toThrow(/dim 3 in train but 4 elsewhere/);
    expect(() => linearProbe({ train: { features: train.features, labels: [0, 1] }, test: train })).toThrow(
      /train.labels has 2 labels but the features have 10 rows/,
    );
  });
});

describeWithData('linearProbe on Fashion-MNIST raw pixels', () => {
  it('beats chance by far on the float32 path without leaking tensors', async () => {
    const ds = await loadIdx(
      dataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz'),
      dataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz'),
    );
    const dim = 28 * 28;
    const pixels = Float32Array.from(ds.images.subarray(0, 900 * dim), (v) => v / 255);
    const part = (from: number, to: number) => ({
      features: { data: pixels.subarray(from * dim, to * dim), n: to - from, dim },
      labels: ds.labels.subarray(from, to),
    });
    const before = tf.memory().numTensors;
    const r = linearProbe({ train: part(0, 600), test: part(600, 900), cGrid: logspace(1, -2, 4), seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.models[0].precision).toBe('float32');
    expect(r.testScore).toBe(top1(r.models[0].predict(part(600, 900).features), part(600, 900).labels));
    expect(r.testScore).toBeGreaterThan(0.65); // chance 0.1; raw-pixel logistic regression reaches ~0.75-0.8 with this little data
  });
});
