/**
 * Sum and Mean over a run of adjacent axes that leaves the last one for wasm: BatchNorm's
 * statistics and gradients reduce NHWC over N, H, W, and `channelSum`'s tree of short sums
 * reduces [rows, block, C] over the middle axis. The backend's reductions first transpose
 * the reduced axes to the end; viewing x as [outer, rows, C], native/conv-kernels.c's
 * `column_sums` / `group_sums` read it once, 32 columns per pass, split across the threads
 * by column (one group) or by group: each sum is one thread's, in row order (blocks of 256
 * rows past that), so results do not depend on the thread count. Every other reduction
 * goes to the backend's own kernel.
 */
import { util, type KernelConfig, type MeanAttrs, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { runSplit } from './conv-kernels';
import { addressOf, heapF32, runWasm, type WasmBackend } from './wasm-ops';

/** The reduced run [first, last] of `axis`, or undefined if it is not one run of adjacent axes before the last. */
function reducedRun(axis: number | number[], shape: number[]): [number, number] | undefined {
  const axes = util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || !axes.every((a, i) => a === axes[0] + i)) return undefined;
  const last = axes[axes.length - 1];
  return last < shape.length - 1 ? [axes[0], last] : undefined;
}

function reduceRun(kernelName: 'Sum' | 'Mean') {
  return (args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: SumAttrs | MeanAttrs }): TensorInfo => {
    const {
      inputs: { x },
      backend,
      attrs,
    } = args;
    const run = x.dtype === 'float32' ? reducedRun(attrs.axis, x.shape) : undefined;
    if (run === undefined || util.sizeFromShape(x.shape) === 0) return runWasm(backend, kernelName, { x }, attrs);
    const [first, last] = run;
    const outer = util.sizeFromShape(x.shape.slice(0, first));
    const rows = util.sizeFromShape(x.shape.slice(first, last + 1));
    const columns = util.sizeFromShape(x.shape.slice(last + 1));
    const keptShape = x.shape.filter((_, i) => i < first || i > last);
    const outShape = attrs.keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : keptShape;
    const sums = backend.makeOutput(outShape, 'float32');
    // Sums are memory-bound: below ~1M values a hand-off to the workers costs more than it saves.
    const work = outer * rows * columns;
    const operands = [addressOf(backend, x), rows, columns, addressOf(backend, sums)];
    if (outer === 1) runSplit(backend, 'column_sums', operands, columns, work, 4);
    else runSplit(backend, 'group_sums', operands, outer, work);
    if (kernelName === 'Mean') {
      const values = heapF32(backend, sums);
      for (let i = 0; i < values.length; i++) values[i] /= rows;
    }
    return sums;
  };
}

export const sumConfig: KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: reduceRun('Sum') as unknown as KernelConfig['kernelFunc'],
};

export const meanConfig: KernelConfig = {
  kernelName: 'Mean',
  backendName: 'wasm',
  kernelFunc: reduceRun('Mean') as unknown as KernelConfig['kernelFunc'],
};
