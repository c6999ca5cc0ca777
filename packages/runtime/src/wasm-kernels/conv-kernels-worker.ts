/** What each conv-kernels worker thread is started with (its `workerData`). */
export interface ConvKernelsWorkerData {
  module: WebAssembly.Module;
  /** The wasm backend's shared memory: the worker's instance runs on it. */
  memory: WebAssembly.Memory;
  /** Per worker: 0 while its part runs, 1 when done, 2 when it failed. */
  control: Int32Array;
  /** Per worker, `errorBytes` of UTF-8: why its last part failed. */
  errors: Uint8Array;
  errorBytes: number;
  index: number;
}

/** A part of a kernel call: the export's name and its arguments (pointers, sizes, range). */
export interface ConvKernelsJob {
  name: string;
  args: number[];
}

/**
 * The body of each worker thread: the module instantiated on the backend's memory,
 * running the parts it is sent and signalling through `control`. Self-contained
 * (no imports, no outer variables): the thread gets it as source text
 * (`CONV_KERNELS_WORKER_SOURCE`), so the same code runs from the sources and both builds.
 */
export function convKernelsWorker(
  parentPort: { on(event: 'message', listener: (job: ConvKernelsJob) => void): unknown },
  { module, memory, control, errors, errorBytes, index }: ConvKernelsWorkerData,
): void {
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<
    string,
    (...args: number[]) => void
  >;
  parentPort.on('message', ({ name, args }) => {
    let state = 1;
    try {
      kernels[name](...args);
    } catch (err) {
      const text = new TextEncoder().encode(String((err as Error)?.stack ?? err)).slice(0, errorBytes);
      errors.fill(0, index * errorBytes, (index + 1) * errorBytes);
      errors.set(text, index * errorBytes);
      state = 2;
    }
    Atomics.store(control, index, state);
    Atomics.notify(control, index);
  });
}

/** The worker's program (CommonJS source for `new Worker(source, { eval: true })`). */
export const CONV_KERNELS_WORKER_SOURCE = `const { parentPort, workerData } = require('node:worker_threads');
(${convKernelsWorker.toString()})(parentPort, workerData);
`;
