/**
 * native/conv-kernels.c, instantiated on the wasm backend's own memory so its
 * functions read and write tensors in place (by heap address): Winograd
 * transforms and products (winograd.ts) and the direct filter gradient
 * (conv2d-backprop-filter.ts). Built for both the unshared (one thread) and
 * the shared (threaded) memory of tfjs-backend-wasm.
 */
import { CONV_KERNELS_WASM_BASE64, CONV_KERNELS_WASM_SHARED_BASE64 } from './conv-kernels-wasm';
import type { WasmBackend } from './wasm-ops';

/** Addresses are byte offsets on the heap; see native/conv-kernels.c for each function's layouts. */
export interface ConvKernels {
  winograd_filter(g: number, k: number, m: number, u: number): void;
  winograd_input(x: number, n: number, h: number, w: number, c: number, padTop: number, padLeft: number, tilesH: number, tilesW: number, v: number): void;
  winograd_output(planes: number, n: number, oh: number, ow: number, c: number, tilesH: number, tilesW: number, y: number): void;
  winograd_output_gradient(dy: number, n: number, oh: number, ow: number, c: number, tilesH: number, tilesW: number, dm: number): void;
  winograd_filter_products(v: number, dm: number, tiles: number, k: number, m: number, du: number): void;
  winograd_filter_gradient(du: number, k: number, m: number, dw: number): void;
  conv_filter_gradient(
    x: number, n: number, h: number, w: number, k: number,
    dy: number, oh: number, ow: number, m: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number,
    dW: number,
  ): void;
}

const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const instances = new WeakMap<WebAssembly.Memory, ConvKernels>();

/** The kernels instantiated on `memory`, once per memory. */
export function convKernelsOn(memory: WebAssembly.Memory): ConvKernels {
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(decode(shared ? CONV_KERNELS_WASM_SHARED_BASE64 : CONV_KERNELS_WASM_BASE64));
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ConvKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}

/** The kernels on this backend's heap. */
export function convKernels(backend: WasmBackend): ConvKernels {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (memory === undefined) throw new Error("@selfsup/runtime: cannot find the wasm backend's memory for its convolution kernels");
  return convKernelsOn(memory);
}
