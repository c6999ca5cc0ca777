import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { batchNormTraining, channelSum, scaleShift } from '../batch-norm-training';
import { BATCH_NORM_TRAINING } from './batch-norm-training';
import { expectBatchNormKeepsLittle, onCpuAndWasm, relativeError } from './test-helpers';

/**
 * Training BatchNorm (+ ReLU) and its gradients in float64, for x [rows][c] and dy (of the
 * output). `mask`: the ReLU's gradient mask from this output (> 0) instead of the float64 one,
 * which differs where an output within rounding of 0 falls on the other side.
 */
function reference(
  x: Float32Array,
  dy: Float32Array,
  weight: number[],
  bias: number[],
  relu: boolean,
  mask?: ArrayLike<number>,
  eps = 1e-5,
) {
  const c = weight.length;
  const rows = x.length / c;
  const [mean, variance, dWeight, dBias] = [0, 0, 0, 0].map(() => new Float64Array(c));
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  for (let j = 0; j < c; j++) {
    for (let r = 0; r < rows; r++) mean[j] += x[r * c + j] / rows;
    for (let r = 0; r < rows; r++) variance[j] += (x[r * c + j] - mean[j]) ** 2 / rows;
    const invStd = 1 / Math.sqrt(variance[j] + eps);
    const g = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const xHat = (x[r * c + j] - mean[j]) * invStd;
      const out = weight[j] * xHat + bias[j];
      y[r * c + j] = relu ? Math.max(0, out) : out;
      g[r] = relu && !((mask ? mask[r * c + j] : out) > 0) ? 0 : dy[r * c + j];
      dBias[j] += g[r];
      dWeight[j] += g[r] * xHat;
    }
    for (let r = 0; r < rows; r++) {
      const xHat = (x[r * c + j] - mean[j]) * invStd;
      dx[r * c + j] = weight[j] * invStd * (g[r] - dBias[j] / rows - (xHat * dWeight[j]) / rows);
    }
  }
  return { y, mean, variance, dx, dWeight, dBias };
}

const CASES: Array<[string, number[]]> = [
  ['channels 8 + 4 + a scalar tail', [3, 5, 5, 13]],
  ['rows in several blocks', [8, 16, 16, 40]],
  ['[N, C] like the heads', [64, 36]],
];

describe('the wasm BatchNorm training kernels', () => {
  for (const relu of [false, true]) {
    for (const [name, shape] of CASES) {
      it(`${name} [${shape}]${relu ? ' + ReLU' : ''}: output, statistics and gradients equal a float64 reference`, async () => {
        await initBackend('wasm');
        expect(tf.getKernel(BATCH_NORM_TRAINING, 'wasm')).toBeDefined();
        const c = shape[shape.length - 1];
        // A large common offset, where a float32 running Σx² − (Σx)²/n would lose the variance.
        const x = tf.add(tf.randomNormal(shape, 0, 2, 'float32', 1), 300);
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
        const weightValues = Array.from({ length: c }, (_, j) => 0.5 + (j % 5) * 0.3 - (j % 2));
        const biasValues = Array.from({ length: c }, (_, j) => 0.1 * (j % 7) - 0.3);
        const [weight, bias] = [tf.tensor1d(weightValues), tf.tensor1d(biasValues)];
        let stats: Float32Array[] = [];
        const f = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          batchNormTraining(a, w as tf.Tensor1D, b as tf.Tensor1D, {
            relu,
            onStatistics: (m, v) => (stats = [m.dataSync() as Float32Array, v.dataSync() as Float32Array]),
          });
        const y = f(x, weight, bias);
        const [xs, dys] = [x.dataSync() as Float32Array, dy.dataSync() as Float32Array];
        const want = reference(xs, dys, weightValues, biasValues, relu, y.dataSync());
        expect(relativeError(y.dataSync(), want.y)).toBeLessThan(1e-5);
        expect(relativeError(stats[0], want.mean)).toBeLessThan(1e-6);
        expect(relativeError(stats[1], want.variance)).toBeLessThan(1e-5);
        const [dx, dWeight, dBias] = tf.grads((a, w, b) => tf.sum(tf.mul(f(a, w, b), dy)))([x, weight, bias]);
        expect(relativeError(dx.dataSync(), want.dx)).toBeLessThan(1e-4);
        // Σ dy·(x − mean) inherits the float32 mean's rounding (half an ulp of 300 is 1.5e-5).
        expect(relativeError(dWeight.dataSync(), want.dWeight)).toBeLessThan(5e-5);
        expect(relativeError(dBias.dataSync(), want.dBias)).toBeLessThan(1e-5);
        tf.dispose([x, dy, weight, bias, y, dx, dWeight, dBias]);
      });
    }
  }

  for (const shape of [
    [3, 5, 5, 13],
    [37, 6],
    [24, 40],
    [8, 16, 16, 40],
  ]) {
    it(`forward [${shape}]: the tf-op path's statistics and output on wasm to the bit`, async () => {
      await initBackend('wasm');
      const c = shape[shape.length - 1];
      const x = tf.add(tf.randomNormal(shape, 0, 0.3, 'float32', 4), tf.randomUniform([c], -5, 5, 'float32', 5));
      const weight = tf.randomNormal([c], 1, 0.3, 'float32', 6) as tf.Tensor1D;
      const bias = tf.randomNormal([c], 0, 0.3, 'float32', 7) as tf.Tensor1D;
      let stats: Float32Array[] = [];
      const y = batchNormTraining(x, weight, bias, {
        onStatistics: (m, v) => (stats = [m.dataSync() as Float32Array, v.dataSync() as Float32Array]),
      });
      const count = x.size / c;
      const want = tf.tidy(() => {
        const mean = tf.div(channelSum(x), count) as tf.Tensor1D;
        const variance = tf.div(channelSum(tf.squaredDifference(x, mean)), count);
        const scale = tf.mul(weight, tf.rsqrt(tf.add(variance, 1e-5))) as tf.Tensor1D;
        return [scaleShift(tf.sub(x, mean), scale, bias), mean, variance];
      });
      [y.dataSync(), ...stats].forEach((values, i) => expect(values).toEqual(want[i].dataSync()));
      tf.dispose([x, weight, bias, y, ...want]);
    });
  }

  it("agree with the cpu backend's tf-op path, ReLU fused or not", async () => {
    const result = await onCpuAndWasm(() => {
      const x = tf.randomNormal([4, 6, 6, 20], 0.5, 1.5, 'float32', 3);
      const dy = tf.randomNormal([4, 6, 6, 20], 0, 1, 'float32', 4);
      const weight = tf.randomNormal([20], 1, 0.3, 'float32', 5) as tf.Tensor1D;
      const bias = tf.randomNormal([20], 0, 0.3, 'float32', 6) as tf.Tensor1D;
      return [false, true].flatMap((relu) => {
        const f = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(batchNormTraining(a, w as tf.Tensor1D, b as tf.Tensor1D, { relu }), dy));
        return [batchNormTraining(x, weight, bias, { relu }), ...tf.grads(f)([x, weight, bias])];
      });
    });
    result.cpu.forEach((expected, i) => expect(relativeError(result.wasm[i], expected)).toBeLessThan(1e-4));
  });

  it('leak nothing, and backprop keeps x, the statistics and (with the ReLU) the output', async () => {
    await initBackend('wasm');
    // y, y², the loss, the mean and the variance.
    expectBatchNormKeepsLittle(true, 5);
  });
});
