import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { batchNormTraining, channelSum, scaleShift } from './batch-norm-training';
import { expectBatchNormKeepsLittle, relativeError } from './wasm-kernels/test-helpers';

interface Case {
  name: string;
  shape: number[];
  x: number[];
  weight: number[];
  bias: number[];
  dy: number[];
  y: number[];
  mean: number[];
  variance: number[];
  dx: number[];
  dweight: number[];
  dbias: number[];
}
/** PyTorch 1.13 float64 values, made by test/fixtures/make_batch_norm_fixture.py. */
const fixture: { cases: Case[] } = JSON.parse(
  readFileSync(new URL('../test/fixtures/batch_norm_training.json', import.meta.url), 'utf8'),
);

for (const backend of ['wasm', 'cpu'] as const)
  describe(`batchNormTraining on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    for (const c of fixture.cases) {
      it(`${c.name} [${c.shape}]: output, statistics and gradients equal PyTorch's`, () => {
        const x = tf.tensor(c.x, c.shape);
        const weight = tf.tensor1d(c.weight);
        const bias = tf.tensor1d(c.bias);
        const dy = tf.tensor(c.dy, c.shape);
        let stats: number[][] = [];
        const y = batchNormTraining(x, weight, bias, {
          onStatistics: (mean, variance) => (stats = [[...mean.dataSync()], [...variance.dataSync()]]),
        });
        expect(relativeError(y.dataSync(), c.y)).toBeLessThan(1e-5);
        expect(relativeError(stats[0], c.mean)).toBeLessThan(1e-6);
        expect(relativeError(stats[1], c.variance)).toBeLessThan(1e-5);

        const [dx, dWeight, dBias] = tf.grads((a, w, b) =>
          tf.sum(tf.mul(batchNormTraining(a, w as tf.Tensor1D, b as tf.Tensor1D), dy)),
        )([x, weight, bias]);
        expect(relativeError(dx.dataSync(), c.dx)).toBeLessThan(1e-4);
        expect(relativeError(dWeight.dataSync(), c.dweight)).toBeLessThan(1e-5);
        expect(relativeError(dBias.dataSync(), c.dbias)).toBeLessThan(1e-5);
        tf.dispose([x, weight, bias, dy, y, dx, dWeight, dBias]);
      });
    }

    it('leaks nothing, and backprop keeps only x and the statistics (no centred or squared copies)', () => {
      // y, y², the loss, and the saved mean and variance (cpu and wasm share clones' storage).
      expectBatchNormKeepsLittle(false, 5);
    });

    for (const shape of [
      [6, 3],
      [2, 3, 4, 3],
    ]) {
      it(`scaleShift on [${shape}] equals x · scale + shift, gradients included`, () => {
        const x = tf.randomNormal(shape, 0, 1, 'float32', 2);
        const scale = tf.tensor1d([0.5, -2, 3]);
        const shift = tf.tensor1d([1, 0, -1]);
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 3);
        const viaConv = (a: tf.Tensor, s: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(scaleShift(a, s as tf.Tensor1D, b as tf.Tensor1D), dy));
        const plain = (a: tf.Tensor, s: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.mul(a, s), b), dy));
        expect(
          relativeError(scaleShift(x, scale, shift).dataSync(), tf.add(tf.mul(x, scale), shift).dataSync()),
        ).toBeLessThan(1e-6);
        const got = tf.grads(viaConv)([x, scale, shift]);
        const want = tf.grads(plain)([x, scale, shift]);
        got.forEach((g, i) => expect(relativeError(g.dataSync(), want[i].dataSync())).toBeLessThan(1e-5));
        tf.dispose([x, scale, shift, dy, ...got, ...want]);
      });
    }

    it('explains bad shapes', () => {
      const w = tf.ones([3]) as tf.Tensor1D;
      expect(() => batchNormTraining(tf.ones([2, 4]), w, w)).toThrow(/one value per channel.*x \[2,4\]/);
      expect(() => batchNormTraining(tf.ones([1, 3]), w, w)).toThrow(/more than one value per channel/);
      w.dispose();
    });
  });

describe('channelSum', () => {
  it('sums over every axis but the last, closer to the float64 sum than one float32 pass', async () => {
    await initBackend('cpu');
    // Values with a large common offset: the case where a running float32 sum drifts.
    const [rows, channels] = [8192, 3];
    const values = Float32Array.from({ length: rows * channels }, (_, i) => 1000 + Math.sin(i * 12.9898) * 0.5);
    const exact = [0, 1, 2].map((c) => {
      let s = 0;
      for (let r = 0; r < rows; r++) s += values[r * channels + c];
      return s;
    });
    const x = tf.tensor4d(values, [8, 32, 32, channels]);
    const tree = channelSum(x).dataSync();
    const flat = tf.sum(x, [0, 1, 2]).dataSync();
    for (let c = 0; c < channels; c++) {
      expect(Math.abs(tree[c] - exact[c])).toBeLessThanOrEqual(Math.abs(flat[c] - exact[c]));
      expect(Math.abs(tree[c] - exact[c]) / exact[c]).toBeLessThan(1e-6);
    }
    tf.dispose(x);
  });
});
