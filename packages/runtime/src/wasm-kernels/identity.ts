/**
 * Identity for wasm: share the input's storage (by reference count, as Reshape
 * does) instead of copying it. The engine clones every tensor it saves for
 * backprop, so with the wasm backend's copying Identity a training step held each
 * saved activation twice and spent ~2.5% of its time copying them. Tensors are
 * immutable, so sharing is safe: the cpu and webgl backends do the same.
 * (Cast to the same dtype shares too: `cast.ts`.)
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runWasm, type WasmBackend } from './wasm-ops';

/** A new handle on `x`'s storage (one more reference), no copy. */
export function share(backend: WasmBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const {
    inputs: { x },
    backend,
  } = args;
  // Strings live outside the heap; the original kernel handles them.
  return x.dtype === 'string' ? runWasm(backend, 'Identity', { x }) : share(backend, x);
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelConfig['kernelFunc'],
};
