import * as tf from '@tensorflow/tfjs-core';
import { loadImageFolder, select, type ImageDataset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData, maxAbsDiff } from '@selfsup/testing';
import { loadAnalysisReference } from './analysis-reference';
import { colourProbe } from './colour-probe';
import { colourError, meanColour } from './mean-colour';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('meanColour and colourError against NumPy', () => {
  it('the fixture images: per-image mean colours and their mean squared difference', () => {
    const { colour } = loadAnalysisReference();
    const shape = colour.shape as [number, number, number, number];
    const before = tf.memory().numTensors;
    const a = tf.tensor4d(colour.a, shape);
    const b = tf.tensor4d(colour.b, shape);
    // The tensors are float32: agreement to float32 rounding of the inputs.
    expect(maxAbsDiff(meanColour(a).data, colour.meanColourA)).toBeLessThan(1e-7);
    expect(Math.abs(colourError(a, b) - colour.colourError)).toBeLessThan(1e-8);
    expect(colourError(a, a)).toBe(0);
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the argument and the problem', () => {
    const a = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    const b = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    expect(() => colourError(a, b)).toThrow(/a has 2 images of 3 channels, b 1 of 3/);
    expect(() => meanColour(tf.zeros([2, 2]) as unknown as tf.Tensor4D)).toThrow(/4-D tensor/);
    tf.dispose([a, b]);
  });
});

/** Pixels (optionally as luma, torchvision's 0.299 R + 0.587 G + 0.114 B) as feature rows. */
function pixelFeatures(ds: ImageDataset, gray: boolean) {
  const [n, h, w] = ds.shape;
  const dim = gray ? h * w : h * w * 3;
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n * h * w; i++) {
    const [r, g, b] = [0, 1, 2].map((c) => ds.images[i * 3 + c] / 255);
    if (gray) data[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else data.set([r, g, b], i * 3);
  }
  return { data, n, dim };
}

describeWithData('colourProbe on CIFAR-10 pixels', () => {
  let train: ImageDataset;
  let test: ImageDataset;
  beforeAll(async () => {
    const all = await loadImageFolder(dataPath('cifar10', 'test'));
    train = select(
      all,
      Array.from({ length: 180 }, (_, i) => i * 3),
    );
    test = select(
      all,
      Array.from({ length: 90 }, (_, i) => i * 3 + 1),
    );
  });

  it('colour pixels predict the mean colour exactly (R² ≈ 1); luma alone does not', () => {
    const split = (ds: ImageDataset, gray: boolean) => ({ features: pixelFeatures(ds, gray), targets: meanColour(ds) });
    const colour = colourProbe({ train: split(train, false), test: split(test, false) });
    const luma = colourProbe({ train: split(train, true), test: split(test, true) });
    expect(colour.r2).toBeGreaterThan(0.99);
    expect(colour.perOutput).toHaveLength(3);
    expect(luma.r2).toBeLessThan(colour.r2 - 0.02);
    expect(colour.valCurve).toHaveLength(7);
  });
});
