/**
 * BatchMatMul for wasm. Transposed operands: the wasm kernel multiplies a transposed
 * operand in place with strided reads, 5–10x slower than transposing it first (one
 * cheap pass) and then running the product; every matMul gradient has a transposed
 * operand, so training hits this often. Batches of products [B, m, k] · [B, k, n]
 * (B > 1, n in fours; an augmentation's per-image resampling): native/conv-kernels.c's
 * `batch_matmul`, split by batch across the threads; the backend's XNNPACK packs the
 * right operand anew for each batch (~15x slower at [256, 32, 32] · [256, 32, 96]).
 * Single products go to XNNPACK's GEMM.
 */
import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runSplit } from './conv-kernels';
import { addressOf, release, runWasm, transpose, type WasmBackend } from './wasm-ops';

/** [B, m, k] · [B, k, n] by the module's kernel, or undefined where it does not apply. */
function batchedProducts(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo | undefined {
  if (a.shape.length !== 3 || b.shape.length !== 3 || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  if (batch < 2 || b.shape[0] !== batch || b.shape[1] !== k || n % 4 !== 0) return undefined;
  const out = backend.makeOutput([batch, m, n], 'float32');
  runSplit(
    backend,
    'batch_matmul',
    [addressOf(backend, a), addressOf(backend, b), m, k, n, m * k, k * n, addressOf(backend, out)],
    batch,
    batch * m * k * n,
  );
  return out;
}

function swapLastTwo(backend: WasmBackend, x: TensorInfo): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transpose(backend, x, perm);
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackend;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const {
    inputs: { a, b },
    backend,
    attrs,
  } = args;
  if (!attrs.transposeA && !attrs.transposeB) {
    return batchedProducts(backend, a, b) ?? runWasm(backend, 'BatchMatMul', { a, b }, attrs);
  }
  const a2 = attrs.transposeA ? swapLastTwo(backend, a) : a;
  const b2 = attrs.transposeB ? swapLastTwo(backend, b) : b;
  const out =
    batchedProducts(backend, a2, b2) ??
    runWasm(backend, 'BatchMatMul', { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  release(backend, [a2, b2], [a, b]);
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelConfig['kernelFunc'],
};
