/**
 * Training-mode BatchNorm (`batchNormTraining` in ../batch-norm-training.ts, which owns the
 * concept and picks these kernels where the backend has them) as two wasm kernels of
 * native/conv-kernels.c passes instead of ~8 (forward) and ~10 (backward) tf kernels:
 * - forward: the tf-op path's statistics to the bit (`bn_group_sums`: channelSum's first level,
 *   of x and of (x − mean)², then the same group and column sums it uses), then `bn_apply`
 *   (y = (x − mean)·scale + bias, optionally ReLU, split by rows): 3 reads of x, 1 write;
 * - backward: `bn_sums` (float64 Σg and Σg·(x − mean), g = dy where the fused ReLU's output
 *   is > 0, split by channel), then `bn_apply` (dx = (k·g − k·Σg/n) + x̂·(−k·Σg·x̂/n),
 *   k = weight·invStd, x̂ = (x − mean)·invStd, the tf-op path's order).
 * Every sum is one thread's and every output value one call's, so results do not depend on
 * the thread count.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { channelSumBlocks } from '../channel-sum-blocks';
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

/** Float64 scratch for `bn_sums` ([2][c], 8-byte aligned inside a float32 buffer) and the float32 coefficients of `bn_apply` ([5][c]). */
function scratch(backend: WasmBackend, channels: number) {
  const sums = backend.makeOutput([4 * channels + 2], 'float32');
  const coef = backend.makeOutput([5 * channels], 'float32');
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

/**
 * Σ over the rows of x [rows][c] (of (x − centre)² with a centre) as `channelSum` forms it
 * (`channelSumBlocks`), each level the same native sums as the tf-op path's Sum kernels.
 * Returns [c] sums.
 */
function channelSums(backend: WasmBackend, x: number, centre: number, rows: number, channels: number): TensorInfo {
  const partials: TensorInfo[] = [];
  let [source, first] = [x, true];
  for (const block of channelSumBlocks(rows)) {
    const groups = rows / block;
    const out = backend.makeOutput([groups * channels], 'float32');
    const args = first ? [source, centre, block, channels] : [source, block, channels];
    runSplit(
      backend,
      first ? 'bn_group_sums' : 'group_sums',
      [...args, addressOf(backend, out)],
      groups,
      rows * channels,
    );
    partials.push(out);
    [source, first, rows] = [addressOf(backend, out), false, groups];
  }
  const sums = backend.makeOutput([channels], 'float32');
  if (first) runSplit(backend, 'bn_group_sums', [source, centre, rows, channels, addressOf(backend, sums)], 1, 0);
  else
    runSplit(backend, 'column_sums', [source, rows, channels, addressOf(backend, sums)], channels, rows * channels, 4);
  release(backend, partials);
  return sums;
}

/**
 * The tf-op path's forward to the bit: mean = Σx/n and variance = Σ(x − mean)²/n (channelSum's
 * tree, float32), invStd = 1/√(variance + eps), then y = (x − mean)·(weight·invStd) + bias.
 * Three BYOL steps amplify any other rounding of these (a generated reference family moved
 * from 9e-4 to 0.04–0.15 of its update with float64 statistics), so they are kept.
 */
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
  const f32 = Math.fround;
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([channels], 'float32');
  const variance = backend.makeOutput([channels], 'float32');
  const coef = backend.makeOutput([5 * channels], 'float32');
  const xAt = addressOf(backend, x);
  const sums = channelSums(backend, xAt, 0, rows, channels);
  const m = heapF32(backend, mean);
  heapF32(backend, sums).forEach((s, j) => (m[j] = s / rows));
  release(backend, [sums]);
  const squares = channelSums(backend, xAt, addressOf(backend, mean), rows, channels);
  const [sq, v, w, b, k] = [squares, variance, weight, bias, coef].map((t) => heapF32(backend, t));
  const epsilon = f32(eps);
  for (let j = 0; j < channels; j++) {
    v[j] = sq[j] / rows;
    k[j] = 0;
    k[channels + j] = 1;
    k[2 * channels + j] = b[j];
    k[3 * channels + j] = m[j];
    k[4 * channels + j] = w[j] * f32(1 / f32(Math.sqrt(f32(v[j] + epsilon))));
  }
  release(backend, [squares]);
  runSplit(
    backend,
    'bn_apply',
    [0, 0, xAt, channels, addressOf(backend, coef), relu ? 1 : 0, addressOf(backend, y)],
    rows,
    rows * channels,
  );
  release(backend, [coef]);
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
  const [dyAt, xAt, coefAt] = [dy, x, coef].map((t) => addressOf(backend, t));
  const maskAt = relu && y !== undefined ? addressOf(backend, y) : 0;
  const meanAt = addressOf(backend, mean);
  runSplit(backend, 'bn_sums', [dyAt, maskAt, xAt, meanAt, rows, channels, sumsAddress], channels, rows * channels, 4);
  const acc = readSums(backend, sums, sumsAddress, channels);
  const [m, v, w, dw, db, k] = [mean, variance, weight, dWeight, dBias, coef].map((t) => heapF32(backend, t));
  for (let j = 0; j < channels; j++) {
    const invStd = invStdOf(v[j], eps);
    const scale = w[j] * invStd;
    db[j] = acc[j];
    dw[j] = acc[channels + j] * invStd;
    k[j] = scale;
    k[channels + j] = (-k[j] * dw[j]) / rows;
    k[2 * channels + j] = (-k[j] * db[j]) / rows;
    k[3 * channels + j] = m[j];
    k[4 * channels + j] = invStd;
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
