/**
 * OneHot for wasm. tfjs-backend-wasm 4.22's kernel always writes int32 values
 * (on/off values truncated to integers), so `tf.oneHot(x, n, 1, 0, 'float32')`
 * read back as floats gives 1.4e-45, not 1. Here the backend's kernel fills an
 * int32 0/1 tensor, a Cast makes it float, and off + (on - off) * x scales it.
 */
import type { KernelConfig, NamedAttrMap, OneHotAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { fromValues, release, runWasm, type WasmBackend } from './wasm-ops';

function oneHot(args: { inputs: { indices: TensorInfo }; backend: WasmBackend; attrs: OneHotAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { onValue, offValue, dtype } = attrs;
  const integral = Number.isInteger(onValue) && Number.isInteger(offValue);
  if (dtype === 'int32' && integral) return runWasm(backend, 'OneHot', inputs, attrs);
  const bits = runWasm(backend, 'OneHot', inputs, {
    ...attrs,
    onValue: 1,
    offValue: 0,
    dtype: 'int32',
  } as unknown as NamedAttrMap);
  const unit = runWasm(backend, 'Cast', { x: bits }, { dtype: 'float32' });
  release(backend, [bits]);
  if (onValue === 1 && offValue === 0 && dtype === 'float32') return unit;
  const scale = fromValues(backend, [], new Float32Array([onValue - offValue]));
  const shift = fromValues(backend, [], new Float32Array([offValue]));
  const scaled = runWasm(backend, 'Multiply', { a: unit, b: scale });
  const out = runWasm(backend, 'Add', { a: scaled, b: shift });
  release(backend, [unit, scale, shift, scaled]);
  if (dtype === 'float32') return out;
  const cast = runWasm(backend, 'Cast', { x: out }, { dtype });
  release(backend, [out]);
  return cast;
}

export const oneHotConfig: KernelConfig = {
  kernelName: 'OneHot',
  backendName: 'wasm',
  kernelFunc: oneHot as unknown as KernelConfig['kernelFunc'],
};
