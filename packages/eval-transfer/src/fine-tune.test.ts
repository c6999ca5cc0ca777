import * as tf from '@tensorflow/tfjs-core';
import { convnet } from '@selfsup/backbones';
import { loadImageFolder, select, subset, type ImageDataset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { fineTune } from './fine-tune';
import { cosineLearningRate } from './train-classifier';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('cosineLearningRate', () => {
  it("follows torch's CosineAnnealingLR from the peak to zero", () => {
    expect(cosineLearningRate(0.1, 0, 100)).toBe(0.1);
    expect(cosineLearningRate(0.1, 50, 100)).toBeCloseTo(0.05, 12);
    expect(cosineLearningRate(0.1, 25, 100)).toBeCloseTo((0.1 * (1 + Math.SQRT1_2)) / 2, 12);
    expect(cosineLearningRate(0.1, 100, 100)).toBeCloseTo(0, 12);
  });
});

describeWithData('fineTune on MNIST with a small ConvNet', () => {
  let train: ImageDataset;
  let test: ImageDataset;
  beforeAll(async () => {
    const all = await loadImageFolder(dataPath('mnist', 'test'));
    const picked = subset(all, 30, 0); // 300 images, 30 per digit
    // Every third image to test, so both splits hold every digit (subset keeps class order).
    train = select(
      picked,
      Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 3 !== 2),
    );
    test = select(
      picked,
      Array.from({ length: 100 }, (_, i) => 3 * i + 2),
    );
  });

  it('chooses (lr, wd) on val, retrains, beats chance, and leaves the encoder and memory untouched', async () => {
    const encoder = convnet({ widths: [8, 16, 32], inputChannels: 1, seed: 1 });
    const weightsBefore = [...encoder.state().values()].map((v) => v.dataSync().slice());
    const tensorsBefore = tf.memory().numTensors;
    const progress: number[] = [];
    const losses: number[] = [];
    const r = await fineTune({
      encoder,
      train,
      test,
      steps: 40,
      batchSize: 20,
      lrGrid: [0.1, 1e-4],
      wdGrid: [1e-5],
      seed: 0,
      progressEvery: 20,
      onProgress: (p) => {
        progress.push(p.trial * 100 + p.step);
        losses.push(p.loss);
      },
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    [...encoder.state().values()].forEach((v, i) =>
      expect(Array.from(v.dataSync())).toEqual(Array.from(weightsBefore[i])),
    );
    // 2 trials on val + the final retrain, each reporting at steps 20 and 40.
    expect(progress).toEqual([20, 40, 120, 140, 220, 240]);
    // Weight decay is wdGrid / lr, as finetune.py's grid.
    expect(r.valCurve.map((p) => [p.lr, p.weightDecay])).toEqual([
      [0.1, 1e-4],
      [1e-4, 0.1],
    ]);
    const best = Math.max(...r.valCurve.map((p) => p.score));
    expect(r.valCurve.find((p) => p.score === best)).toMatchObject({ lr: r.lr, weightDecay: r.weightDecay });
    expect(r.lr).toBe(0.1); // 40 steps at lr 1e-4 barely move a random network
    // The final retrain at lr 0.1 learns: its loss falls below the chance level ln(10) = 2.30.
    expect(losses[5]).toBeLessThan(losses[4]);
    expect(losses[5]).toBeLessThan(2.2);
    // A 32-feature ConvNet after 40 steps is weak, but clearly above chance (0.1).
    expect(r.testScore).toBeGreaterThan(0.15);
    encoder.dispose();
  });

  it('rejects bad settings naming the value', async () => {
    const encoder = convnet({ widths: [4], inputChannels: 1, seed: 1 });
    await expect(fineTune({ encoder, train, test, steps: 0 })).rejects.toThrow(
      /steps must be a positive integer, got 0/,
    );
    await expect(fineTune({ encoder, train, test, lrGrid: [0.1, -1] })).rejects.toThrow(
      /lrGrid\[1\] must be > 0, got -1/,
    );
    encoder.dispose();
  });
});
