/**
 * Tile for wasm. The backend's kernel computes a source index per output
 * element (~60 ns each); BatchNorm's gradient tiles a per-channel vector to the
 * full activation shape once per layer, which made Tile the costliest kernel of
 * a ResNet training step. Here each input row is copied once and every
 * repetition is a doubling memmove of the block already written.
 */
import { util, type KernelConfig, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasm-ops';

function tile(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: TileAttrs }): TensorInfo {
  const {
    inputs: { x },
    backend,
    attrs: { reps },
  } = args;
  const shape = x.shape;
  if (reps.length !== shape.length) {
    throw new Error(`Tile on wasm: reps must have one entry per dimension of x (shape [${shape}]), got [${reps}]`);
  }
  const out = backend.makeOutput(
    shape.map((s, i) => s * reps[i]),
    x.dtype as 'float32' | 'int32' | 'bool',
  );
  const outView = backend.typedArrayFromHeap(out);
  const xView = backend.typedArrayFromHeap(x);
  if (shape.length === 0 || outView.length === 0) {
    outView.set(xView.subarray(0, outView.length));
    return out;
  }
  // One typed view over the whole heap, indexed in elements of x's dtype.
  const heap = new (outView.constructor as Uint8ArrayConstructor)(outView.buffer);
  const bytes = outView.BYTES_PER_ELEMENT;
  const xStrides = [...util.computeStrides(shape), 1];
  const outStrides = [...util.computeStrides(out.shape), 1];
  const last = shape.length - 1;

  const fill = (dim: number, src: number, dst: number): void => {
    if (dim === last) heap.copyWithin(dst, src, src + shape[dim]);
    else for (let i = 0; i < shape[dim]; i++) fill(dim + 1, src + i * xStrides[dim], dst + i * outStrides[dim]);
    // Repetitions along `dim` are consecutive blocks of shape[dim] · outStride elements.
    const block = shape[dim] * outStrides[dim];
    const total = block * reps[dim];
    for (let done = block; done < total; done += Math.min(done, total - done)) {
      heap.copyWithin(dst + done, dst, dst + Math.min(done, total - done));
    }
  };
  fill(0, xView.byteOffset / bytes, outView.byteOffset / bytes);
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelConfig['kernelFunc'],
};
