/**
 * Multi-threaded wasm in Node. tfjs-backend-wasm turns threads off in Node
 * because its threaded build starts each pthread worker from a `blob:` URL,
 * which Node's worker_threads cannot load. The Emscripten runtime inside the
 * threaded build does support Node workers; it only needs the worker script as
 * a file. So the worker source that tfjs ships as a string is written to a
 * temporary file, and the 'wasm' backend is re-registered to build the
 * threaded-SIMD module with that file, then wrapped in tfjs's own BackendWasm
 * (the same glue tfjs's `init` does). XNNPACK then splits every convolution,
 * GEMM and pooling across the threads.
 */
import * as tf from '@tensorflow/tfjs-core';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const THREADED_FACTORY = `${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.js`;
const WORKER_SOURCE = `${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`;

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, unknown>;
  PThread: { runningWorkers: Array<{ unref(): void }> };
}

async function threadedModule(workerFile: string, threads: number): Promise<EmscriptenModule> {
  const factoryModule = await import(/* @vite-ignore */ THREADED_FACTORY);
  const factory = (factoryModule.default ?? factoryModule) as (config: object) => Promise<EmscriptenModule>;
  // The module caps its thread pool at half the logical cores (assuming 2-way SMT), which it
  // reads from os.cpus() while it starts; on a 2-core machine that is one thread. Report
  // 2·threads cores for that moment so the cap is the number asked for.
  const os = (await import('node:os')).default;
  const cpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  let module: EmscriptenModule;
  try {
    module = await factory({
      locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? workerFile : prefix + path),
    });
  } finally {
    os.cpus = cpus;
  }
  // The bridge tfjs-backend-wasm's `init()` installs before constructing BackendWasm.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/** Write the pthread worker script tfjs ships as a string to a file Node's workers can load. */
async function writeWorkerFile(): Promise<string> {
  const [{ mkdtempSync, rmSync, writeFileSync }, { tmpdir }, { join }] = await Promise.all([
    import('node:fs'),
    import('node:os'),
    import('node:path'),
  ]);
  const { wasmWorkerContents } = (await import(/* @vite-ignore */ WORKER_SOURCE)) as { wasmWorkerContents: string };
  const dir = mkdtempSync(join(tmpdir(), 'selfsup-wasm-'));
  const file = join(dir, 'worker.cjs');
  // Evaluating the template literal turned the source's "\n" escapes into real line breaks
  // inside string literals; tfjs re-escapes them the same way before making its Blob.
  writeFileSync(file, wasmWorkerContents.replace(/\n/g, '\\n'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/**
 * Make the next `initBackend('wasm')` start the multi-threaded wasm backend
 * with `threads` threads (default: every core; at most 8). Node only, and only before the
 * wasm backend is first started in this process (a running backend keeps its
 * threads: call `tf.removeBackend('wasm')` first to restart it). In browsers,
 * tfjs-backend-wasm already uses threads when the page is cross-origin isolated.
 */
export async function enableWasmThreads(threads?: number): Promise<void> {
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new Error(`enableWasmThreads: threads must be a positive integer, got ${threads}`);
  }
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error(
      'enableWasmThreads: only for Node; in a browser tfjs-backend-wasm uses threads when the page is cross-origin isolated',
    );
  }
  if (tf.engine().registry.wasm !== undefined) {
    throw new Error("enableWasmThreads: the wasm backend is already running; call tf.removeBackend('wasm') first");
  }
  const wasm = await import(/* @vite-ignore */ WASM_PACKAGE);
  const { availableParallelism } = await import('node:os');
  // The threaded build pre-starts 8 workers, its most threads.
  const count = Math.min(threads ?? availableParallelism(), 8);
  wasm.setThreadsCount(count);
  const workerFile = await writeWorkerFile();
  if (tf.findBackendFactory('wasm') !== null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await threadedModule(workerFile, count);
      const backend = new wasm.BackendWasm(module);
      // The pool's threads now idle between kernels; unreferenced, they no longer keep Node alive.
      for (const worker of module.PThread.runningWorkers) worker.unref();
      return backend;
    },
    2,
  );
}
