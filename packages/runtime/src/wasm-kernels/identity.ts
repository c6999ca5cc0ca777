/**
 * Identity, and Cast to the same dtype, for wasm: share the input's storage
 * (by reference count, as Reshape does) instead of copying it. The engine
 * clones every tensor it saves for backprop, so with the wasm backend's copying
 * Identity a training step held each saved activation twice and spent ~2.5% of
 * its time copying them. Tensors are immutable, so sharing is safe: the cpu and
 * webgl backends do the same.
 * Cast to bool is also corrected here (see `toBool`).
 */
import type { CastAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runWasm, type WasmBackend } from './wasm-ops';

function share(backend: WasmBackend, x: TensorInfo): TensorInfo {
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

/** The stock kernel copies values as they are, so 3 cast to bool stayed 3. */
function toBool(backend: WasmBackend, x: TensorInfo): TensorInfo {
  const out = backend.makeOutput(x.shape, 'bool');
  const values = backend.typedArrayFromHeap(x);
  const flags = backend.typedArrayFromHeap(out);
  for (let i = 0; i < values.length; i++) flags[i] = values[i] !== 0 ? 1 : 0;
  return out;
}

function cast(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: CastAttrs }): TensorInfo {
  const {
    inputs: { x },
    backend,
    attrs,
  } = args;
  if (x.dtype === 'string') return runWasm(backend, 'Cast', { x }, attrs);
  if (attrs.dtype === x.dtype) return share(backend, x);
  return attrs.dtype === 'bool' ? toBool(backend, x) : runWasm(backend, 'Cast', { x }, attrs);
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelConfig['kernelFunc'],
};

export const castConfig: KernelConfig = {
  kernelName: 'Cast',
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelConfig['kernelFunc'],
};
