// Bad input gets an error naming the function, the argument, its value and what was expected.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barlowTwinsLoss, byolLoss, negativeCosineSimilarity, ntXentLoss, vicregLoss } from './index';

describe('loss argument checks', () => {
  let a: tf.Tensor2D;
  let b: tf.Tensor2D;
  beforeAll(async () => {
    await initBackend('cpu');
    a = tf.ones([4, 3]);
    b = tf.ones([4, 5]);
  });
  afterAll(() => tf.dispose([a, b]));

  it('names mismatched shapes', () => {
    expect(() => byolLoss(a, b)).toThrow('byolLoss: p and z must have the same shape, got [4, 3] and [4, 5]');
    expect(() => ntXentLoss(a, b)).toThrow('ntXentLoss: z1 and z2 must have the same shape');
  });

  it('names wrong ranks, dtypes and non-tensors', () => {
    const v = tf.ones([3]);
    const ints = tf.ones([4, 3], 'int32');
    expect(() => negativeCosineSimilarity(v, v)).toThrow(
      'negativeCosineSimilarity: p must be 2-D [N, D], got shape [3]',
    );
    expect(() => byolLoss(ints, ints)).toThrow('byolLoss: p must be float32, got dtype int32');
    expect(() => byolLoss([[1]] as unknown as tf.Tensor, a)).toThrow(
      'byolLoss: p must be a tf.Tensor of shape [N, D], got [[1]]',
    );
    tf.dispose([v, ints]);
  });

  it('names bad hyper-parameters and too-small batches', () => {
    expect(() => ntXentLoss(a, a, 0)).toThrow('ntXentLoss: temperature must be a finite number > 0, got 0');
    expect(() => barlowTwinsLoss(a, a, { lambda: -1 })).toThrow(
      'barlowTwinsLoss: options.lambda must be a finite number >= 0, got -1',
    );
    expect(() => vicregLoss(a, a, { var: Number.NaN })).toThrow(
      'vicregLoss: options.var must be a finite number >= 0, got NaN',
    );
    const one = tf.ones([1, 3]);
    expect(() => vicregLoss(one, one)).toThrow('vicregLoss: z1 needs a batch of at least 2 rows, got shape [1, 3]');
    one.dispose();
  });
});
