/**
 * Shared by the wasm kernel tests: run the same seeded computation on the cpu
 * backend (the reference: plain JS loops) and on wasm (our kernels), and check
 * analytic gradients against central finite differences.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { initBackend } from '../backend';
import { batchNormTraining } from '../batch-norm-training';

/** Seeded uniform values in [-1, 1): identical on every backend (generated in JS). */
export const seeded = (shape: number[], seed: number): tf.Tensor => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** `compute` on cpu, then on wasm (left active); returns each output's values per backend. */
export async function onCpuAndWasm(
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = () =>
    tf
      .tidy(() => [compute()].flat())
      .map((t) => {
        const values = t.dataSync() as Float32Array;
        t.dispose();
        return values;
      });
  await initBackend('cpu');
  const cpu = run();
  await initBackend('wasm');
  return { cpu, wasm: run() };
}

/** max |actual − expected| / max |expected|: a relative error that tolerates near-zero entries. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / (scale || 1);
}

export function expectSameOnBothBackends(
  result: { cpu: Float32Array[]; wasm: Float32Array[] },
  tolerance = 1e-4,
): void {
  result.cpu.forEach((expected, i) => expect(relativeError(result.wasm[i], expected)).toBeLessThan(tolerance));
}

/**
 * Compare tf.grad(f) at `v` with central differences (f(v + h·e_i) − f(v − h·e_i)) / 2h
 * on `samples` entries spread over v; returns the largest relative difference.
 */
export function finiteDifferenceError(f: (v: tf.Tensor) => tf.Scalar, v: tf.Tensor, samples = 8, h = 1e-2): number {
  const analytic = tf.tidy(() => tf.grad(f)(v).dataSync());
  const base = v.dataSync();
  let worst = 0;
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(((s + 0.5) * base.length) / samples);
    const at = (delta: number) =>
      tf.tidy(() => {
        const shifted = base.slice();
        shifted[i] += delta;
        return f(tf.tensor(shifted, v.shape)).dataSync()[0];
      });
    const numeric = (at(h) - at(-h)) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric)));
  }
  return worst;
}

/** The full central-difference gradient of a scalar function of one tensor (small tensors only). */
export function numericalGradient(f: (v: tf.Tensor) => tf.Scalar, v: tf.Tensor, h = 1e-2): Float32Array {
  const base = v.dataSync();
  const at = (i: number, delta: number) =>
    tf.tidy(() => {
      const shifted = base.slice();
      shifted[i] += delta;
      return f(tf.tensor(shifted, v.shape)).dataSync()[0];
    });
  return Float32Array.from(base, (_, i) => (at(i, h) - at(i, -h)) / (2 * h));
}

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** [input NHWC, kernel, outC, stride, pad]: the conv layers of a ResNet (both stems), a small ConvNet, odd sizes. */
export const CONV_CASES: Array<[[number, number, number, number], number, number, number, Pad]> = [
  [[2, 8, 8, 3], 3, 4, 1, 'same'],
  // A 3-channel stem with enough tiles for Winograd (its filter gradient pads x to 4 channels).
  [[2, 16, 16, 3], 3, 8, 1, 'same'],
  [[3, 9, 9, 4], 3, 5, 2, 'same'],
  [
    [2, 8, 8, 4],
    3,
    6,
    2,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ],
  [[2, 8, 8, 6], 1, 8, 2, 'valid'],
  [
    [1, 16, 16, 3],
    7,
    8,
    2,
    [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  ],
  [[2, 11, 7, 2], 3, 3, 2, 'valid'],
  [[4, 5, 5, 3], 3, 2, 1, 'valid'],
  [
    [1, 10, 10, 2],
    3,
    3,
    2,
    [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  ],
  [[1, 9, 9, 2], 7, 3, 1, 'same'],
  // Channels not in fours: the filter gradient copies patches, here several chunks of images.
  [[40, 6, 6, 3], 3, 4, 1, 'same'],
  [[3, 24, 24, 4], 3, 5, 1, 'same'],
  [
    [2, 32, 32, 3],
    3,
    4,
    2,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ],
  [[2, 31, 33, 2], 1, 3, 2, 'valid'],
  // Channels in fours and enough tiles: Winograd F(2x2, 3x3) computes both gradients
  // (more tiles than one chunk of the filter products; 12 channels: a 4-wide last block).
  [[4, 8, 8, 4], 3, 8, 1, 'same'],
  [[2, 15, 17, 8], 3, 4, 1, 'valid'],
  [[4, 12, 12, 8], 3, 12, 1, 'same'],
  // Channels in fours otherwise: the direct filter-gradient kernel (stride 2, asymmetric
  // 'same' pads, 1x1, 7x7, a 4-wide last block, more output rows than one chunk).
  [[2, 9, 9, 4], 3, 8, 2, 'same'],
  [[2, 8, 8, 8], 1, 12, 2, 'valid'],
  [
    [1, 10, 10, 4],
    7,
    4,
    2,
    [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  ],
  [[1, 6, 6, 4], 3, 4, 1, 'same'],
  [[1, 24, 64, 4], 1, 4, 1, 'valid'],
];

/**
 * batchNormTraining leaks nothing, and its forward leaves at most `maxForwardBuffers` new
 * buffers alive for backprop (no centred or squared copies of x) in a `sum(bn(x)²)` step.
 */
export function expectBatchNormKeepsLittle(relu: boolean, maxForwardBuffers: number): void {
  const x = tf.randomNormal([8, 4, 4, 16], 1, 2, 'float32', 1);
  const weight = tf.variable(tf.ones([16]) as tf.Tensor1D);
  const bias = tf.variable(tf.zeros([16]) as tf.Tensor1D);
  const before = tf.memory();
  let forwardBuffers = 0;
  const { value, grads } = tf.variableGrads(() => {
    const loss = tf.sum(tf.square(batchNormTraining(x, weight, bias, { relu }))) as tf.Scalar;
    forwardBuffers = tf.memory().numDataBuffers - before.numDataBuffers;
    return loss;
  });
  expect(forwardBuffers).toBeLessThanOrEqual(maxForwardBuffers);
  tf.dispose([value, ...Object.values(grads)]);
  expect(tf.memory().numTensors).toBe(before.numTensors);
  tf.dispose([x, weight, bias]);
}
