// LARS on real data: a linear softmax classifier on Fashion-MNIST pixels
// (kernel adapted by LARS, bias excluded) must learn, with both trust ratios.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { LARS } from './lars';

const N = 512;
const PIXELS = 28 * 28;
const STEPS = 30;

/** The first N images ([0, 1] pixels) and one-hot labels of an IDX split. */
function readSplit(split: 'train' | 't10k'): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const read = (kind: string) => gunzipSync(readFileSync(dataPath('fashion-mnist', `${split}-${kind}.gz`)));
  const pixels = read('images-idx3-ubyte').subarray(16, 16 + N * PIXELS); // IDX3 header: 16 bytes
  const labels = read('labels-idx1-ubyte').subarray(8, 8 + N); // IDX1 header: 8 bytes
  return tf.tidy(() => ({
    x: tf.tensor2d(
      Float32Array.from(pixels, (v) => v / 255),
      [N, PIXELS],
    ),
    y: tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10) as tf.Tensor2D,
  }));
}

describeWithData('LARS trains a softmax classifier on Fashion-MNIST', () => {
  let train: { x: tf.Tensor2D; y: tf.Tensor2D };
  let test: { x: tf.Tensor2D; y: tf.Tensor2D };
  beforeAll(async () => {
    await initBackend('wasm');
    [train, test] = [readSplit('train'), readSplit('t10k')];
  });
  afterAll(() => tf.dispose([train, test]));

  it.each(['byol', 'solo-learn'] as const)(
    '%s trust ratio: loss falls below 40%% of its start, held-out accuracy > 65%%',
    (trustRatio) => {
      const kernel = tf.variable(tf.randomNormal([PIXELS, 10], 0, 0.01, 'float32', 1));
      const bias = tf.variable(tf.zeros([10]));
      // With η = 1e-3 a step moves the kernel by lr·η of its norm, hence the large lr (BYOL uses 0.2·4096/256 = 3.2 for far more steps).
      const lars = new LARS({ learningRate: 20, trustRatio });
      const logits = (x: tf.Tensor2D) => tf.add(tf.matMul(x, kernel), bias);
      const loss = () => tf.losses.softmaxCrossEntropy(train.y, logits(train.x)) as tf.Scalar;
      const history: number[] = [];
      for (let step = 0; step < STEPS; step++) {
        const value = lars.minimize(loss, true, [kernel, bias])!;
        history.push(value.dataSync()[0]);
        value.dispose();
      }
      expect(history.at(-1)!).toBeLessThan(0.4 * history[0]);
      const accuracy = tf.tidy(
        () => tf.mean(tf.cast(tf.equal(tf.argMax(logits(test.x), 1), tf.argMax(test.y, 1)), 'float32')).dataSync()[0],
      );
      expect(accuracy).toBeGreaterThan(0.65);
      lars.dispose();
      tf.dispose([kernel, bias]);
    },
  );
});
