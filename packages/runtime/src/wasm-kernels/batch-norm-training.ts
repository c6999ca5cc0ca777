/**
 * Training-mode BatchNorm (`batchNormTraining` in ../batch-norm-training.ts, which owns the
 * concept and picks these kernels where the backend has them) as two wasm kernels, each two
 * passes of native/conv-kernels.c instead of ~8 (forward) and ~10 (backward) tf kernels:
 * - forward: `bn_sums` (per-channel float64 Σ and Σ² of x shifted by its first row, split by
 *   channel), then `bn_apply` (y = scale·(x − mean) + bias, optionally ReLU, split by rows);
 * - backward: `bn_sums` (Σg and Σg·(x − mean), g = dy where the fused ReLU's output is > 0),
 *   then `bn_apply` (dx = k·g − k·invStd²·Σg(x−mean)/n · (x − mean) − k·Σg/n, k = weight·invStd).
 * Per-channel arithmetic between the passes runs here in float64. Every sum is one thread's
 * and every output value one call's, so results do not depend on the thread count.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runSplit } from './conv-kernels';
import { addressOf, heapF32, release, type WasmBackend } from './wasm-ops';

/** Kernel names, also looked up by `batchNormTraining` to decide whether to use them. */
export const BATCH_NORM_TRAINING = 'SelfsupBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'SelfsupBatchNormTrainingGrad';

/** Attributes of both kernels: the variance's epsilon and whether a ReLU follows (fused). */
export interface BatchNormTrainingAttrs {
  eps: number;
  relu: boolean;
}

const invStdOf = (variance: number, eps: number) => 1 / Math.sqrt(variance + eps);

/** Float64 scratch for `bn_sums` ([2][c], 8-byte aligned inside a float32 buffer) and the float32 coefficients of `bn_apply` ([4][c]). */
function scratch(backend: WasmBackend, channels: number) {
  const sums = backend.makeOutput([4 * channels + 2], 'float32');
  const coef = backend.makeOutput([4 * channels], 'float32');
  const address = addressOf(backend, sums);
  return { sums, coef, sumsAddress: address + (address % 8 === 0 ? 0 : 4) };
}

/** Σ and Σ· sums per channel from the float64 scratch (a view taken after the last allocation). */
function readSums(backend: WasmBackend, sums: TensorInfo, address: number, channels: number): Float64Array {
  return new Float64Array(heapF32(backend, sums).buffer, address, 2 * channels);
}

function shapeOf(x: TensorInfo) {
  const channels = x.shape[x.shape.length - 1];
  return { channels, rows: x.shape.reduce((a, b) => a * b, 1) / channels };
}

function forward(args: {
  inputs: { x: TensorInfo; weight: TensorInfo; bias: TensorInfo };
  backend: WasmBackend;
  attrs: BatchNormTrainingAttrs;
}): TensorInfo[] {
  const {
    inputs: { x, weight, bias },
    backend,
    attrs: { eps, relu },
  } = args;
  const { channels, rows } = shapeOf(x);
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([channels], 'float32');
  const variance = backend.makeOutput([channels], 'float32');
  const { sums, coef, sumsAddress } = scratch(backend, channels);
  const xAt = addressOf(backend, x);
  // Shifted by x's first row: Σ(x − x₀)² − (Σ(x − x₀))²/n does not cancel when |mean| ≫ std.
  runSplit(backend, 'bn_sums', [xAt, xAt, 0, xAt, xAt, rows, channels, sumsAddress], channels, rows * channels, 4);
  const acc = readSums(backend, sums, sumsAddress, channels);
  const [x0, w, b, m, v, k] = [x, weight, bias, mean, variance, coef].map((t) => heapF32(backend, t));
  for (let j = 0; j < channels; j++) {
    const shift = acc[j] / rows;
    m[j] = x0[j] + shift;
    v[j] = Math.max(0, acc[channels + j] / rows - shift * shift);
    k[j] = 0;
    k[channels + j] = w[j] * invStdOf(v[j], eps);
    k[2 * channels + j] = b[j];
    k[3 * channels + j] = m[j];
  }
  runSplit(
    backend,
    'bn_apply',
    [0, 0, xAt, channels, addressOf(backend, coef), relu ? 1 : 0, addressOf(backend, y)],
    rows,
    rows * channels,
  );
  release(backend, [sums, coef]);
  return [y, mean, variance];
}

function backward(args: {
  inputs: { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; weight: TensorInfo; y?: TensorInfo };
  backend: WasmBackend;
  attrs: BatchNormTrainingAttrs;
}): TensorInfo[] {
  const {
    inputs: { dy, x, mean, variance, weight, y },
    backend,
    attrs: { eps, relu },
  } = args;
  const { channels, rows } = shapeOf(x);
  const dx = backend.makeOutput(x.shape, 'float32');
  const dWeight = backend.makeOutput([channels], 'float32');
  const dBias = backend.makeOutput([channels], 'float32');
  const { sums, coef, sumsAddress } = scratch(backend, channels);
  heapF32(backend, coef).fill(0, 0, channels); // dy's centre: none
  const [dyAt, xAt, coefAt] = [dy, x, coef].map((t) => addressOf(backend, t));
  const maskAt = relu && y !== undefined ? addressOf(backend, y) : 0;
  const meanAt = addressOf(backend, mean);
  runSplit(
    backend,
    'bn_sums',
    [dyAt, coefAt, maskAt, xAt, meanAt, rows, channels, sumsAddress],
    channels,
    rows * channels,
    4,
  );
  const acc = readSums(backend, sums, sumsAddress, channels);
  const [m, v, w, dw, db, k] = [mean, variance, weight, dWeight, dBias, coef].map((t) => heapF32(backend, t));
  for (let j = 0; j < channels; j++) {
    const invStd = invStdOf(v[j], eps);
    const scale = w[j] * invStd;
    db[j] = acc[j];
    dw[j] = acc[channels + j] * invStd;
    k[j] = scale;
    k[channels + j] = (-scale * invStd * invStd * acc[channels + j]) / rows;
    k[2 * channels + j] = (-scale * acc[j]) / rows;
    k[3 * channels + j] = m[j];
  }
  runSplit(
    backend,
    'bn_apply',
    [dyAt, maskAt, xAt, channels, coefAt, 0, addressOf(backend, dx)],
    rows,
    rows * channels,
  );
  release(backend, [sums, coef]);
  return [dx, dWeight, dBias];
}

export const batchNormTrainingConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: forward as unknown as KernelConfig['kernelFunc'],
};

export const batchNormTrainingGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'wasm',
  kernelFunc: backward as unknown as KernelConfig['kernelFunc'],
};
