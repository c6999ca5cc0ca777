// Every exported loss keeps only what it returns: value and gradient leave no tensors behind.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as losses from './index';

describe('no tensor leaks', () => {
  let a: tf.Tensor2D;
  let b: tf.Tensor2D;
  beforeAll(async () => {
    await initBackend('wasm');
    a = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    b = tf.randomNormal([6, 5], 0, 1, 'float32', 2);
  });
  afterAll(() => tf.dispose([a, b]));

  const calls: Record<string, (x: tf.Tensor2D, y: tf.Tensor2D) => tf.TensorContainer> = {
    byolLoss: (x, y) => losses.byolLoss(x, y),
    symmetricByolLoss: (x, y) => losses.symmetricByolLoss(x, y, y, x),
    negativeCosineSimilarity: (x, y) => losses.negativeCosineSimilarity(x, y),
    symmetricSimSiamLoss: (x, y) => losses.symmetricSimSiamLoss(x, y, y, x),
    ntXentLoss: (x, y) => losses.ntXentLoss(x, y),
    barlowTwinsLoss: (x, y) => losses.barlowTwinsLoss(x, y),
    barlowTwinsTerms: (x, y) => losses.barlowTwinsTerms(x, y) as unknown as tf.TensorContainer,
    vicregLoss: (x, y) => losses.vicregLoss(x, y),
    vicregTerms: (x, y) => losses.vicregTerms(x, y) as unknown as tf.TensorContainer,
    // Multiplied by y so that both inputs reach the output (tf.grads needs a path to each).
    stopGradient: (x, y) => tf.tidy(() => tf.mul(losses.stopGradient(x), y)),
  };

  it('covers every exported function', () => {
    const exported = Object.entries(losses)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    expect(exported.sort()).toEqual(Object.keys(calls).sort());
  });

  it.each(Object.keys(calls))('%s', (name) => {
    const call = calls[name];
    const before = tf.memory().numTensors;
    tf.dispose(call(a, b));
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => {
      const out = call(x as tf.Tensor2D, y as tf.Tensor2D);
      return out instanceof tf.Tensor ? tf.sum(out) : (out as unknown as { loss: tf.Scalar }).loss;
    })([a, b]);
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
  });
});
