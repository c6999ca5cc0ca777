/**
 * Calling the wasm backend's own kernels from inside a kernel. Kernel functions
 * bypass the engine, so nothing they return is tracked: every intermediate
 * `TensorInfo` must be released with `release` (wasm reshapes share storage and
 * only bump a reference count, so releasing is always by reference count).
 */
import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's `BackendWasm` the training kernels use. */
export interface WasmBackend {
  /** With `memoryOffset`, the output is registered over existing heap bytes instead of new ones. */
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool', memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  readSync(dataId: object): unknown;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number }; delete(dataId: object): void };
  wasm: {
    tfjs: { disposeData(id: number): void };
    /** The heap's memory: `wasmMemory` in the threaded build, `asm.memory` in the others. */
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
}

type Inputs = Record<string, TensorInfo> | TensorInfo[];
type KernelFn = (args: { inputs: Inputs; backend: WasmBackend; attrs?: NamedAttrMap }) => TensorInfo | TensorInfo[];

/** The original wasm kernels that ours replace, captured before replacing them. */
const replaced = new Map<string, KernelFn>();

export function rememberOriginal(kernelName: string, fn: KernelFn): void {
  if (!replaced.has(kernelName)) replaced.set(kernelName, fn);
}

/** Run the wasm backend's kernel `kernelName` (the original one if ours replaced it). */
export function runWasm(backend: WasmBackend, kernelName: string, inputs: Inputs, attrs: object = {}): TensorInfo {
  const fn = replaced.get(kernelName) ?? (getKernel(kernelName, 'wasm')?.kernelFunc as KernelFn | undefined);
  if (fn === undefined) throw new Error(`@selfsup/runtime: the wasm backend has no '${kernelName}' kernel`);
  return fn({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** Release intermediates produced by `runWasm` (skips `undefined` and the inputs passed in `keep`). */
export function release(backend: WasmBackend, infos: Array<TensorInfo | undefined>, keep: TensorInfo[] = []): void {
  for (const info of infos) {
    if (info !== undefined && !keep.includes(info)) backend.disposeData(info.dataId);
  }
}

/** A float32 view of a tensor on the wasm heap. Take views only after the last allocation: growing the heap detaches them. */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export const reshape = (backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo =>
  runWasm(backend, 'Reshape', { x }, { shape });

export const transpose = (backend: WasmBackend, x: TensorInfo, perm: number[]): TensorInfo =>
  runWasm(backend, 'Transpose', { x }, { perm });

export const slice = (backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo =>
  runWasm(backend, 'Slice', { x }, { begin, size });

/** A new float32 tensor on the wasm heap filled from `values`. */
export function fromValues(backend: WasmBackend, shape: number[], values: Float32Array): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapF32(backend, out).set(values);
  return out;
}

/**
 * A tensor over `shape` floats of `base`'s storage from float `offset` on, without
 * copying: lets a GEMM read a window of a larger buffer. Its bytes belong to `base`,
 * so it must be released with `releaseView` (not `release`, which would free them)
 * before `base` is.
 */
export function viewOf(backend: WasmBackend, base: TensorInfo, offset: number, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32', addressOf(backend, base) + 4 * offset);
}

/** The byte address of a tensor's values on the wasm heap (stable while it lives, unlike typed-array views). */
export const addressOf = (backend: WasmBackend, info: TensorInfo): number =>
  backend.dataIdMap.get(info.dataId).memoryOffset;

/** Unregister a `viewOf` tensor (and any operator the backend cached for it), leaving its bytes alone. */
export function releaseView(backend: WasmBackend, view: TensorInfo): void {
  backend.wasm.tfjs.disposeData(backend.dataIdMap.get(view.dataId).id);
  backend.dataIdMap.delete(view.dataId);
}
