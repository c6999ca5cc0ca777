import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend, VariableStore } from '@selfsup/runtime';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAllClose } from '@selfsup/testing';
import { BatchNorm, batchNorm } from './batch-norm';

/** Float64 BatchNorm over the rows of `x` ([count, C] flattened), the hand computation tfjs is checked against. */
function referenceBn(x: Float64Array, channels: number, weight: number[], bias: number[], eps = 1e-5) {
  const count = x.length / channels;
  const mean = new Float64Array(channels);
  const biasedVar = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels] += x[i] / count;
  for (let i = 0; i < x.length; i++) biasedVar[i % channels] += (x[i] - mean[i % channels]) ** 2 / count;
  const y = x.map((v, i) => {
    const c = i % channels;
    return ((v - mean[c]) / Math.sqrt(biasedVar[c] + eps)) * weight[c] + bias[c];
  });
  const unbiasedVar = biasedVar.map((v) => (v * count) / (count - 1));
  return { y, mean, unbiasedVar };
}

function randomValues(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal(0.5, 2));
}

for (const backend of ['wasm', 'cpu'] as const)
  describe(`BatchNorm on ${backend}`, () => {
    let store: VariableStore;
    beforeAll(async () => {
      await initBackend(backend);
    });
    afterEach(() => store?.dispose());

    for (const shape of [
      [5, 3],
      [2, 3, 2, 3],
    ]) {
      it(`training on [${shape}] uses batch statistics and moves the running ones as torch does`, () => {
        store = new VariableStore('bn-test');
        const channels = shape[shape.length - 1];
        const bn = new BatchNorm(store, 'bn', channels);
        const weight = [1.5, -0.5, 2];
        const bias = [0.1, 0.2, -0.3];
        bn.weight.assign(tf.tensor1d(weight));
        bn.bias.assign(tf.tensor1d(bias));
        const values = randomValues(tf.util.sizeFromShape(shape), 1);
        const ref = referenceBn(values, channels, weight, bias);
        const x = tf.tensor(Float32Array.from(values), shape);

        const before = tf.memory().numTensors;
        const y = bn.apply(x, { training: true });
        expect(tf.memory().numTensors).toBe(before + 1);
        expect(y.shape).toEqual(shape);
        expectAllClose('values', y.dataSync(), ref.y, { atol: 1e-4, rtol: 1e-4 });
        expectAllClose(
          'values',
          bn.runningMean.dataSync(),
          ref.mean.map((m) => 0.1 * m),
          { atol: 1e-5, rtol: 1e-5 },
        );
        expectAllClose(
          'values',
          bn.runningVar.dataSync(),
          ref.unbiasedVar.map((v) => 0.9 + 0.1 * v),
          { atol: 1e-5, rtol: 1e-5 },
        );

        // Eval mode normalises with the running statistics, not the batch's.
        const yEval = bn.apply(x, { training: false });
        const rm = bn.runningMean.dataSync();
        const rv = bn.runningVar.dataSync();
        const expected = values.map((v, i) => {
          const c = i % channels;
          return ((v - rm[c]) / Math.sqrt(rv[c] + 1e-5)) * weight[c] + bias[c];
        });
        expectAllClose('values', yEval.dataSync(), expected, { atol: 1e-4, rtol: 1e-4 });
        expect(bn.runningMean.dataSync()).toEqual(rm);
        tf.dispose([x, y, yEval]);
      });
    }

    it('gradients inside tf.variableGrads match finite differences, reach only weight and bias, and leak nothing', () => {
      store = new VariableStore('bn-grad');
      const bn = new BatchNorm(store, '1', 3);
      const weight = [1.2, 0.7, -1.1];
      const bias = [0, 0.5, 0.25];
      bn.weight.assign(tf.tensor1d(weight));
      bn.bias.assign(tf.tensor1d(bias));
      const values = randomValues(12, 2);
      const probe = randomValues(12, 3);
      const loss = (v: Float64Array, w: number[]) =>
        referenceBn(v, 3, w, bias).y.reduce((s, y, i) => s + y * probe[i], 0);
      const x = tf.variable(tf.tensor2d(Float32Array.from(values), [4, 3]), true, 'bn-grad-x');
      const probeT = tf.tensor2d(Float32Array.from(probe), [4, 3]);

      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(bn.apply(x, { training: true }), probeT)) as tf.Scalar,
      );
      expect(Object.keys(grads).sort()).toEqual([bn.bias.name, bn.weight.name, x.name].sort());
      expect(value.dataSync()[0]).toBeCloseTo(loss(values, weight), 3);

      const h = 1e-4;
      const fdX = values.map((_, i) => {
        const plus = values.slice();
        const minus = values.slice();
        plus[i] += h;
        minus[i] -= h;
        return (loss(plus, weight) - loss(minus, weight)) / (2 * h);
      });
      const fdW = weight.map((_, c) => {
        const plus = [...weight];
        const minus = [...weight];
        plus[c] += h;
        minus[c] -= h;
        return (loss(values, plus) - loss(values, minus)) / (2 * h);
      });
      expectAllClose('values', grads[x.name].dataSync(), fdX, { atol: 1e-3, rtol: 1e-3 });
      expectAllClose('values', grads[bn.weight.name].dataSync(), fdW, { atol: 1e-3, rtol: 1e-3 });
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, probeT]);
    });

    it('rejects inputs of the wrong rank, channel count, or a single value per channel in training', () => {
      store = new VariableStore('bn-errors');
      const bn = new BatchNorm(store, 'bn1', 4);
      tf.tidy(() => {
        expect(() => bn.apply(tf.zeros([2, 4, 4]))).toThrow(
          /bn1: x must be \[N, C\] or \[N, H, W, C\], got shape \[2,4,4\]/,
        );
        expect(() => bn.apply(tf.zeros([2, 3]))).toThrow(/bn1: x has 3 channels \(shape \[2,3\]\), expected 4/);
        expect(() => bn.apply(tf.zeros([1, 4]), { training: true })).toThrow(/more than one value per channel/);
      });
    });

    it('batchNorm() is the plain normalisation with given statistics', () => {
      const y = tf.tidy(() =>
        batchNorm(
          tf.tensor2d([
            [1, 2],
            [3, 6],
          ]),
          {
            mean: tf.tensor1d([2, 4]),
            variance: tf.tensor1d([1, 4]),
            weight: tf.tensor1d([1, 2]),
            bias: tf.tensor1d([0, 1]),
          },
          0,
        ),
      );
      expect(Array.from(y.dataSync())).toEqual([-1, -1, 1, 3]);
      y.dispose();
    });
  });
