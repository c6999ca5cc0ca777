/**
 * Cast for wasm: to the same dtype it shares the input's storage as Identity
 * does (`share`), and to bool it is corrected (see `toBool`); other casts run
 * the stock kernel.
 */
import type { CastAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { share } from './identity';
import { runWasm, type WasmBackend } from './wasm-ops';

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

export const castConfig: KernelConfig = {
  kernelName: 'Cast',
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelConfig['kernelFunc'],
};
