/**
 * UnsortedSegmentSum for wasm (the backend has none; it is the gradient of
 * gather, so embedding tables and `tf.gather` need it to train). The wasm
 * ScatterNd kernel already accumulates duplicate indices, so a segment sum is
 * one scatter of x's rows to their segment ids. Ids outside [0, numSegments)
 * are dropped, as in TensorFlow, by gathering only the valid rows first.
 */
import type { KernelConfig, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { release, reshape, runWasm, type WasmBackend } from './wasm-ops';

function unsortedSegmentSum(args: {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: WasmBackend;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const {
    inputs: { x, segmentIds },
    backend,
    attrs: { numSegments },
  } = args;
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum on wasm: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  const idShape = segmentIds.shape;
  if (idShape.some((size, i) => x.shape[i] !== size)) {
    throw new Error(
      `UnsortedSegmentSum on wasm: segmentIds shape [${idShape}] must be a prefix of x's shape [${x.shape}]`,
    );
  }
  const rows = idShape.reduce((a, b) => a * b, 1);
  const rowShape = x.shape.slice(idShape.length);
  const outShape = [numSegments, ...rowShape];
  const dtype = x.dtype as 'float32' | 'int32';

  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  const valid: number[] = [];
  for (let i = 0; i < rows; i++) if (ids[i] >= 0 && ids[i] < numSegments) valid.push(i);
  if (valid.length === 0 || numSegments === 0) {
    const zeros = backend.makeOutput(outShape, dtype);
    backend.typedArrayFromHeap(zeros).fill(0);
    return zeros;
  }

  const xRows = reshape(backend, x, [rows, ...rowShape]);
  const idColumn = reshape(backend, segmentIds, [rows, 1]);
  let updates = xRows;
  let indices = idColumn;
  if (valid.length < rows) {
    const keep = backend.makeOutput([valid.length], 'int32');
    (backend.typedArrayFromHeap(keep) as Int32Array).set(valid);
    updates = runWasm(backend, 'GatherV2', { x: xRows, indices: keep }, { axis: 0, batchDims: 0 });
    indices = runWasm(backend, 'GatherV2', { x: idColumn, indices: keep }, { axis: 0, batchDims: 0 });
    release(backend, [keep]);
  }
  const out = runWasm(backend, 'ScatterNd', { indices, updates }, { shape: outShape });
  release(backend, [
    xRows,
    idColumn,
    updates === xRows ? undefined : updates,
    indices === idColumn ? undefined : indices,
  ]);
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'],
};
