import { checkPositiveInteger } from '@selfsup/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { argmaxRows } from './argmax-rows';
import { toFeatureMatrix, toLabels, type FeatureInput } from './feature-matrix';
import { PROTOCOL_DEFAULTS } from './protocol-defaults';

export interface KnnOptions {
  trainFeatures: FeatureInput;
  trainLabels: ArrayLike<number>;
  testFeatures: FeatureInput;
  /** Neighbours that vote. Default 200 (InstDisc, Wu et al. 2018). */
  k?: number;
  /** Vote weight exp(cos / temperature). Default 0.1 (InstDisc / solo-learn / lightly). */
  temperature?: number;
  /** Number of classes; default max(trainLabels) + 1. */
  numClasses?: number;
  /** Test rows per similarity block; bounds memory at chunkSize x nTrain floats. Default 256. */
  chunkSize?: number;
}

export interface KnnResult {
  /** Predicted class of each test row. */
  predictions: Int32Array;
  /** Summed vote weights [nTest, numClasses], row-major. */
  scores: Float32Array;
}

function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  // eps as torch.nn.functional.normalize: a zero row stays zero instead of NaN.
  return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12));
}

/**
 * Weighted k-nearest-neighbour classifier on cosine similarity, as used to
 * monitor SSL (Wu et al. 2018 InstDisc; solo-learn's and lightly's knn_predict):
 * each of the k most similar training rows votes for its class with weight
 * exp(similarity / temperature); the class with the largest total wins.
 */
export function knnClassify(options: KnnOptions): KnnResult {
  const { k = PROTOCOL_DEFAULTS.knn.k, temperature = PROTOCOL_DEFAULTS.knn.temperature, chunkSize = 256 } = options;
  const train = toFeatureMatrix(options.trainFeatures, 'knnClassify: trainFeatures');
  const test = toFeatureMatrix(options.testFeatures, 'knnClassify: testFeatures');
  const labels = toLabels(options.trainLabels, train.n, 'knnClassify: trainLabels');
  if (test.n > 0 && test.dim !== train.dim) {
    throw new Error(`knnClassify: testFeatures have dim ${test.dim} but trainFeatures have dim ${train.dim}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > train.n) {
    throw new Error(`knnClassify: k must be an integer in [1, ${train.n}] (the number of training rows), got ${k}`);
  }
  if (!(temperature > 0)) throw new Error(`knnClassify: temperature must be > 0, got ${temperature}`);
  checkPositiveInteger('knnClassify', 'chunkSize', chunkSize);
  const maxLabel = labels.reduce((m, v) => Math.max(m, v), 0);
  const numClasses = options.numClasses ?? maxLabel + 1;
  if (!Number.isInteger(numClasses) || numClasses <= maxLabel) {
    throw new Error(`knnClassify: numClasses must be an integer > the largest label ${maxLabel}, got ${numClasses}`);
  }

  const scores = new Float32Array(test.n * numClasses);
  const bank = tf.tidy(() => l2Normalize(tf.tensor2d(train.data, [train.n, train.dim])));
  const bankLabels = tf.tensor1d(labels, 'int32');
  try {
    for (let start = 0; start < test.n; start += chunkSize) {
      const rows = Math.min(chunkSize, test.n - start);
      const block = tf.tidy(() => {
        const queries = l2Normalize(
          tf.tensor2d(test.data.subarray(start * test.dim, (start + rows) * test.dim), [rows, test.dim]),
        );
        // bank [nTrain, dim] x queries^T, then transposed: on tfjs-wasm this measured ~2x faster than
        // queries x bank^T (the right operand is repacked on every call, so it should be the small one),
        // and >10x faster than matMul's transposeB flag.
        const similarity = tf.transpose(tf.matMul(bank, tf.transpose(queries)));
        const { values, indices } = tf.topk(similarity, k);
        const weights = tf.exp(tf.div(values, temperature));
        const votes = tf.oneHot(tf.gather(bankLabels, indices), numClasses);
        return tf.sum(tf.mul(votes, tf.expandDims(weights, 2)), 1);
      });
      scores.set(block.dataSync() as Float32Array, start * numClasses);
      block.dispose();
    }
  } finally {
    bank.dispose();
    bankLabels.dispose();
  }
  return { predictions: argmaxRows(scores, numClasses), scores };
}
