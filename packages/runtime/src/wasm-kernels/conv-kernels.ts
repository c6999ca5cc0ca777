/**
 * native/conv-kernels.c, instantiated on the wasm backend's own memory so its
 * functions read and write tensors in place (by heap address): Winograd
 * transforms and products (winograd.ts) and the direct filter gradient
 * (conv2d-backprop-filter.ts). Built for both the unshared (one thread) and
 * the shared (threaded) memory of tfjs-backend-wasm.
 *
 * With a threaded backend in Node, `startConvKernelWorkers` adds worker threads
 * running the same module on the same memory, and `runSplit` shares a call's
 * range (the functions' last two arguments) among them: contiguous parts, each
 * output value computed by exactly one thread, so results do not depend on the
 * thread count.
 *
 * Where the engine validates relaxed SIMD, the build with fused multiply-adds (one
 * rounding per product and sum) runs instead: ~1.6x the products' speed. The choice is
 * made once per process, so every thread runs the same code and results stay
 * bit-identical across thread counts (not across machines with and without FMA).
 */
import {
  CONV_KERNELS_WASM_BASE64,
  CONV_KERNELS_WASM_RELAXED_BASE64,
  CONV_KERNELS_WASM_RELAXED_SHARED_BASE64,
  CONV_KERNELS_WASM_SHARED_BASE64,
} from './conv-kernels-wasm.generated';
import { CONV_KERNELS_WORKER_SOURCE, type ConvKernelsWorkerData } from './conv-kernels-worker';
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasm-ops';

/** Addresses are byte offsets on the heap; see native/conv-kernels.c for each function's layouts. */
export interface ConvKernels {
  winograd_filter(g: number, k: number, m: number, u: number): void;
  winograd_input(...args: number[]): void;
  winograd_output(...args: number[]): void;
  winograd_products(...args: number[]): void;
  winograd_output_gradient(...args: number[]): void;
  winograd_filter_products(...args: number[]): void;
  winograd_filter_gradient(du: number, k: number, m: number, dw: number): void;
  conv_filter_gradient(...args: number[]): void;
  max_pool_gradient(...args: number[]): void;
  column_sums(...args: number[]): void;
  group_sums(...args: number[]): void;
  batch_matmul(...args: number[]): void;
  winograd4_filter(...args: number[]): void;
  winograd4_input(...args: number[]): void;
  winograd4_output(...args: number[]): void;
  conv_direct(...args: number[]): void;
  transpose_matrix(src: number, rows: number, cols: number, dst: number): void;
  winograd4_output_gradient(...args: number[]): void;
  winograd4_filter_gradient(du: number, k: number, m: number, dw: number): void;
  bn_sums(...args: number[]): void;
  bn_group_sums(...args: number[]): void;
  bn_apply(...args: number[]): void;
}

/** The functions whose last two arguments are a [begin, end) range of their work. */
export type SplitKernel =
  | 'winograd_input'
  | 'winograd_products'
  | 'winograd_output'
  | 'winograd_output_gradient'
  | 'winograd_filter_products'
  | 'conv_filter_gradient'
  | 'max_pool_gradient'
  | 'column_sums'
  | 'group_sums'
  | 'batch_matmul'
  | 'winograd4_filter'
  | 'winograd4_input'
  | 'winograd4_output'
  | 'conv_direct'
  | 'winograd4_output_gradient'
  | 'bn_sums'
  | 'bn_group_sums'
  | 'bn_apply';

interface Instance {
  module: WebAssembly.Module;
  /** Built with relaxed SIMD (fused multiply-adds). */
  relaxed: boolean;
  kernels: ConvKernels;
  workers: Array<{ postMessage(job: { name: SplitKernel; args: number[] }): void }>;
  /** Per worker: 0 while its part runs, 1 when done, 2 when it failed. */
  control: Int32Array;
  /** Per worker, ERROR_BYTES of UTF-8: why its last part failed (the main thread is blocked while it waits, so a message could not arrive). */
  errors: Uint8Array;
}

const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const instances = new WeakMap<WebAssembly.Memory, Instance>();
/** How long a worker's part may take before the call gives up on it. */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;
/** Room for a failed worker's error text. */
const ERROR_BYTES = 2048;
/** Calls with less work than this (multiply-adds) are not worth a hand-off to workers. */
const MIN_SPLIT_WORK = 1 << 20;

/** The build for this memory: relaxed SIMD where the engine accepts it. */
function moduleBytes(shared: boolean, plain = false): { bytes: Uint8Array<ArrayBuffer>; relaxed: boolean } {
  const relaxed = decode(shared ? CONV_KERNELS_WASM_RELAXED_SHARED_BASE64 : CONV_KERNELS_WASM_RELAXED_BASE64);
  if (!plain && WebAssembly.validate(relaxed)) return { bytes: relaxed, relaxed: true };
  return { bytes: decode(shared ? CONV_KERNELS_WASM_SHARED_BASE64 : CONV_KERNELS_WASM_BASE64), relaxed: false };
}

/**
 * Node 20 (V8 11.3) has relaxed SIMD behind a flag that Chrome ≥ 114 and Node ≥ 22 turn on
 * by default; turn it on before the kernels compile (it affects only modules compiled later).
 */
export async function allowRelaxedSimd(): Promise<void> {
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (!isNode || WebAssembly.validate(decode(CONV_KERNELS_WASM_RELAXED_BASE64))) return;
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

function instanceOn(memory: WebAssembly.Memory, plain = false): Instance {
  let instance = instances.get(memory);
  if (instance === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const { bytes, relaxed } = moduleBytes(shared, plain);
    const module = new WebAssembly.Module(bytes);
    const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ConvKernels;
    instance = { module, relaxed, kernels, workers: [], control: new Int32Array(0), errors: new Uint8Array(0) };
    instances.set(memory, instance);
  }
  return instance;
}

/** The kernels instantiated on `memory`, once per memory (`plain`: the build without relaxed SIMD, for tests). */
export const convKernelsOn = (memory: WebAssembly.Memory, { plain = false } = {}): ConvKernels =>
  instanceOn(memory, plain).kernels;

function backendMemory(backend: WasmBackend): WebAssembly.Memory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (memory === undefined)
    throw new Error("@selfsup/runtime: cannot find the wasm backend's memory for its convolution kernels");
  return memory;
}

/** Whether the kernels on this backend's heap run the relaxed-SIMD (fused multiply-add) build. */
export const usesRelaxedSimd = (backend: WasmBackend): boolean => instanceOn(backendMemory(backend)).relaxed;

/** Whether the active backend is wasm and its convolution kernels use fused multiply-adds (relaxed SIMD). */
export function wasmKernelsUseFma(): boolean {
  const backend = tf.backend() as unknown as Partial<WasmBackend>;
  return tf.getBackend() === 'wasm' && backend.wasm !== undefined && usesRelaxedSimd(backend as WasmBackend);
}

/** The kernels on this backend's heap. */
export const convKernels = (backend: WasmBackend): ConvKernels => instanceOn(backendMemory(backend)).kernels;

/**
 * Give the kernels on this backend's memory `threads − 1` worker threads (Node, threaded
 * backend only; otherwise nothing happens). `initBackend` calls it for wasm.
 */
export async function startConvKernelWorkers(backend: WasmBackend, threads: number): Promise<void> {
  const memory = backendMemory(backend);
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (threads < 2 || !isNode || !(memory.buffer instanceof SharedArrayBuffer)) return;
  const instance = instanceOn(memory);
  if (instance.workers.length >= threads - 1) return;
  const { Worker } = await import('node:worker_threads');
  instance.control = new Int32Array(new SharedArrayBuffer(4 * (threads - 1)));
  instance.errors = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES * (threads - 1)));
  instance.workers = Array.from({ length: threads - 1 }, (_, index) => {
    const workerData: ConvKernelsWorkerData = {
      module: instance.module,
      memory,
      control: instance.control,
      errors: instance.errors,
      errorBytes: ERROR_BYTES,
      index,
    };
    const worker = new Worker(CONV_KERNELS_WORKER_SOURCE, { eval: true, workerData });
    worker.unref(); // idle workers do not keep Node alive
    return worker;
  });
}

/**
 * `name(...args, begin, end)` over [0, total), shared among this thread and the
 * workers in contiguous parts (multiples of `align`) when `work` (multiply-adds,
 * roughly) is worth it; returns when every part is done.
 */
export function runSplit(
  backend: WasmBackend,
  name: SplitKernel,
  args: number[],
  total: number,
  work: number,
  align = 1,
): void {
  const { kernels, workers, control, errors } = instanceOn(backendMemory(backend));
  const units = Math.ceil(total / align);
  const parts = work < MIN_SPLIT_WORK ? 1 : Math.min(1 + workers.length, units);
  const bound = (part: number) => Math.min(total, Math.round((part * units) / parts) * align);
  for (let part = 1; part < parts; part++) {
    Atomics.store(control, part - 1, 0);
    workers[part - 1].postMessage({ name, args: [...args, bound(part), bound(part + 1)] });
  }
  (kernels[name] as (...a: number[]) => void)(...args, 0, bound(1));
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  for (let part = 1; part < parts; part++) {
    // Wait until the state leaves 0, not just for a wake-up: a worker's notify for its previous
    // part can arrive late (after this thread already read that part's state and moved on).
    while (Atomics.load(control, part - 1) === 0) {
      if (Atomics.wait(control, part - 1, 0, Math.max(0, deadline - Date.now())) === 'timed-out') {
        throw new Error(
          `@selfsup/runtime: conv-kernels worker ${part - 1} did not answer ${name} within ${WORKER_TIMEOUT_MS} ms`,
        );
      }
    }
    if (Atomics.load(control, part - 1) !== 1) {
      const text = new TextDecoder()
        .decode(errors.slice((part - 1) * ERROR_BYTES, part * ERROR_BYTES))
        .replace(/\0+$/, '');
      throw new Error(`@selfsup/runtime: conv-kernels worker ${part - 1} failed in ${name}: ${text}`);
    }
  }
}
