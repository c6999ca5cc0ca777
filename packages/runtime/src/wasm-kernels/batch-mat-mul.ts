/**
 * BatchMatMul for wasm with transposed operands. The wasm kernel multiplies a
 * transposed operand in place with strided reads, 5–10x slower than
 * transposing it first (one cheap pass) and then running XNNPACK's GEMM;
 * every matMul gradient has a transposed operand, so training hits this often.
 */
import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { release, runWasm, transpose, type WasmBackend } from './wasm-ops';

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
  if (!attrs.transposeA && !attrs.transposeB) return runWasm(backend, 'BatchMatMul', { a, b }, attrs);
  const a2 = attrs.transposeA ? swapLastTwo(backend, a) : a;
  const b2 = attrs.transposeB ? swapLastTwo(backend, b) : b;
  const out = runWasm(backend, 'BatchMatMul', { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  release(backend, [a2, b2], [a, b]);
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelConfig['kernelFunc'],
};
