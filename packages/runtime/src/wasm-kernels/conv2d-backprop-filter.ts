/**
 * Conv2DBackpropFilter for wasm (the backend has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh − p, ow·s + kw − p, ci] · dy[n,oh,ow,co]
 * is one matrix product patchesᵀ · dy reduced over every output pixel of the
 * batch. XNNPACK's GEMM does not block that reduction dimension: over the 65k
 * pixels of a ResNet stage-1 batch it runs at under half its speed on ~1k, and
 * a forward convolution with batch and channels swapped is slower still (its
 * "filter" is all of dy). So the pixels are cut into chunks of about 1k, and
 * per chunk one GEMM [kh·kw·ci, pixels] · [pixels, co] gives that chunk's dW in
 * its own layout. The GEMM packs its right operand on every call, so that side
 * is dy's chunk, the small one. The patches are cut from the input's phase
 * grids (phase-grid.ts), where every tap and channel reads stride-1 runs:
 *  - on large feature maps, the chunk is a range of grid cells and each patch
 *    row one contiguous window (a single memmove); the grid's padding cells
 *    meet zeros of a padded dy, wasting (grid / output) − 1 of the products;
 *  - on small maps, where that waste would be large, each image and output row
 *    is a run of outWidth values and the chunk is whole images.
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { buildPhaseGrid, type PhaseGrid } from './phase-grid';
import { heapF32, release, reshape, runWasm, type WasmBackend } from './wasm-ops';

/** Output pixels (or grid cells) per matrix product: enough to amortise a call, few enough to stay in cache. */
const PIXELS_PER_CHUNK = 1024;
/** Largest grid / output size ratio for which windows (wasting the ratio − 1) beat per-row runs. */
const MAX_WINDOW_WASTE = 1.3;
/** Shorter runs are copied value by value: one copyWithin call costs ~200 ns, as much as ~200 loads. */
const MIN_MEMMOVE = 256;

/** One GEMM per chunk of `pixels` cells, with operands filled by `fill`; returns the partial products. */
function chunkProducts(backend: WasmBackend, taps: number, outChannels: number, chunks: number[], fill: (chunk: number, heap: Float32Array, patchesT: number, dyRows: number) => void): TensorInfo[] {
  const partials: TensorInfo[] = [];
  chunks.forEach((pixels, chunk) => {
    const patchesT = backend.makeOutput([taps, pixels], 'float32');
    const dyRows = backend.makeOutput([pixels, outChannels], 'float32');
    // Views only after the last allocation: growing the wasm heap detaches them.
    const heap = new Float32Array(heapF32(backend, patchesT).buffer);
    fill(chunk, heap, heapF32(backend, patchesT).byteOffset >>> 2, heapF32(backend, dyRows).byteOffset >>> 2);
    partials.push(runWasm(backend, 'BatchMatMul', { a: patchesT, b: dyRows }, { transposeA: false, transposeB: false }));
    release(backend, [patchesT, dyRows]);
  });
  return partials;
}

const splitInto = (total: number, size: number): number[] =>
  Array.from({ length: Math.ceil(total / size) }, (_, i) => Math.min(size, total - i * size));

/** Chunks of grid cells; each patch row is one window of a phase grid, dy is padded to the grid. */
function windowProducts(backend: WasmBackend, grid: PhaseGrid, dy: TensorInfo, inChannels: number): TensorInfo[] {
  const [n, oh, ow, co] = dy.shape;
  const { gridHeight, gridWidth, channelStride } = grid;
  const cells = n * gridHeight * gridWidth;
  const dyGrid = backend.makeOutput([cells, co], 'float32');
  const heap = new Float32Array(heapF32(backend, dyGrid).buffer);
  const dyAt = heapF32(backend, dy).byteOffset >>> 2;
  const dyGridAt = heapF32(backend, dyGrid).byteOffset >>> 2;
  heap.fill(0, dyGridAt, dyGridAt + cells * co);
  for (let img = 0; img < n; img++) {
    for (let row = 0; row < oh; row++) {
      const src = dyAt + (img * oh + row) * ow * co;
      heap.copyWithin(dyGridAt + (img * gridHeight + row) * gridWidth * co, src, src + ow * co);
    }
  }
  const taps = grid.taps.map((t) => ({ at: heapF32(backend, t.phase).byteOffset >>> 2, offset: t.offset }));
  const partials = chunkProducts(backend, grid.taps.length * inChannels, co, splitInto(cells, PIXELS_PER_CHUNK), (chunk, view, patchesT, dyRows) => {
    const first = chunk * PIXELS_PER_CHUNK;
    const pixels = Math.min(PIXELS_PER_CHUNK, cells - first);
    let dst = patchesT;
    for (const tap of taps) {
      for (let ch = 0; ch < inChannels; ch++, dst += pixels) {
        const src = tap.at + ch * channelStride + first + tap.offset;
        view.copyWithin(dst, src, src + pixels);
      }
    }
    view.copyWithin(dyRows, dyGridAt + first * co, dyGridAt + (first + pixels) * co);
  });
  release(backend, [dyGrid]);
  return partials;
}

/** Chunks of whole images; each patch row is a run of outWidth values per image and output row. */
function runProducts(backend: WasmBackend, grid: PhaseGrid, dy: TensorInfo, inChannels: number): TensorInfo[] {
  const [n, oh, ow, co] = dy.shape;
  const { gridHeight, gridWidth, channelStride } = grid;
  const imagesPerChunk = Math.max(1, Math.min(n, Math.round(PIXELS_PER_CHUNK / (oh * ow))));
  const memmove = ow >= MIN_MEMMOVE;
  const taps = grid.taps.map((t) => ({ at: heapF32(backend, t.phase).byteOffset >>> 2, offset: t.offset }));
  const dyAt = heapF32(backend, dy).byteOffset >>> 2;
  const chunks = splitInto(n, imagesPerChunk).map((images) => images * oh * ow);
  return chunkProducts(backend, grid.taps.length * inChannels, co, chunks, (chunk, heap, patchesT, dyRows) => {
    const firstImage = chunk * imagesPerChunk;
    const images = chunks[chunk] / (oh * ow);
    let dst = patchesT;
    for (const tap of taps) {
      for (let ch = 0; ch < inChannels; ch++) {
        for (let img = firstImage; img < firstImage + images; img++) {
          let src = tap.at + ch * channelStride + img * gridHeight * gridWidth + tap.offset;
          for (let row = 0; row < oh; row++, src += gridWidth, dst += ow) {
            if (memmove) heap.copyWithin(dst, src, src + ow);
            else for (let k = 0; k < ow; k++) heap[dst + k] = heap[src + k];
          }
        }
      }
    }
    const from = dyAt + firstImage * oh * ow * co;
    heap.copyWithin(dyRows, from, from + chunks[chunk] * co);
  });
}

/** dW of shape [kh, kw, inC, outC] for a convolution of x → dy with geometry `g` (dilation 1). */
export function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, outChannels: number): TensorInfo {
  const grid = buildPhaseGrid(backend, x, g);
  const waste = (grid.gridHeight * grid.gridWidth) / (g.outHeight * g.outWidth);
  const partials = waste <= MAX_WINDOW_WASTE ? windowProducts(backend, grid, dy, x.shape[3]) : runProducts(backend, grid, dy, x.shape[3]);
  release(backend, grid.phases);
  const sum = partials.length === 1 ? partials[0] : runWasm(backend, 'AddN', partials);
  const dW = reshape(backend, sum, [g.filterHeight, g.filterWidth, x.shape[3], outChannels]);
  release(backend, [...(partials.length === 1 ? [] : partials), sum]);
  return dW;
}

function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
  const filterShape = attrs.filterShape as [number, number, number, number];
  const g = convGeometry(x.shape as [number, number, number, number], filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  return filterGradient(backend, x, dy, g, filterShape[3]);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
