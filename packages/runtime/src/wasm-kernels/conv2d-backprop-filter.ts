/**
 * Conv2DBackpropFilter for wasm (the backend has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh − p, ow·s + kw − p, ci] · dy[n,oh,ow,co]:
 * per filter tap, one matrix product of the input's phase grid (phase-grid.ts),
 * shifted by the tap, with dy laid out on the same grid cells. XNNPACK's GEMM
 * does not block that reduction over every output pixel of the batch (over a
 * ResNet stage-1 batch's 65k it runs at under half its speed on ~1k), so the
 * cells are cut into chunks and each (chunk, tap) is one GEMM
 * [inC, rowLength] · [rowLength, outC] whose left operand is a view into the
 * grid: nothing is copied per tap. The right operand, dy's chunk, is the same
 * for the chunk's taps, so the backend packs it once (it caches the packed
 * operand by tensor). The grid's padding cells meet zeros of dy, wasting
 * (grid / output) − 1 of the products: 13% on a 32×32 ResNet stage, 27% on a
 * 16×16 one. On smaller maps (56% at 8×8, 125% at 4×4) copying the patches
 * costs less than that waste (runProducts).
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { buildPhaseGrid, gridSize, type PhaseGrid } from './phase-grid';
import { heapF32, release, releaseView, runWasm, viewOf, type WasmBackend } from './wasm-ops';
import { winogradApplies, winogradFilterGradient } from './winograd';

/** Floats of dy per chunk (chunk cells × outC): 512 KiB, a right operand that stays in cache while packed and read. */
const DY_FLOATS_PER_CHUNK = 1 << 17;
const MIN_CHUNK_CELLS = 256;
/** Largest grid / output size ratio for which views of the grid (wasting the ratio − 1) beat copied patches. */
const MAX_WINDOW_WASTE = 1.3;
/** Output pixels per GEMM when patches are copied. */
const PIXELS_PER_RUN_CHUNK = 1024;

/** dy ([N, outH, outW, outC]) on the grid's cells, chunk by chunk, each chunk followed by rowLength − chunkCells zero rows. */
function dyOnGrid(backend: WasmBackend, dy: TensorInfo, grid: PhaseGrid): TensorInfo {
  const [n, oh, ow, co] = dy.shape;
  const { gridHeight, gridWidth, chunkCells, rowLength } = grid;
  const out = backend.makeOutput([grid.chunks * rowLength * co], 'float32');
  const heap = new Float32Array(heapF32(backend, out).buffer);
  const dyAt = heapF32(backend, dy).byteOffset >>> 2;
  const outAt = heapF32(backend, out).byteOffset >>> 2;
  heap.fill(0, outAt, outAt + grid.chunks * rowLength * co);
  for (let img = 0; img < n; img++) {
    for (let row = 0; row < oh; row++) {
      // An output row's cells may straddle a chunk boundary.
      for (let col = 0; col < ow; ) {
        const cell = (img * gridHeight + row) * gridWidth + col;
        const chunk = Math.floor(cell / chunkCells);
        const run = Math.min(ow - col, (chunk + 1) * chunkCells - cell);
        const src = dyAt + ((img * oh + row) * ow + col) * co;
        heap.copyWithin(outAt + (chunk * rowLength + cell - chunk * chunkCells) * co, src, src + run * co);
        col += run;
      }
    }
  }
  return out;
}

/** Per (chunk, tap), the GEMM of the tap's view of the grid with dy's chunk; returns each tap's partial products. */
function windowProducts(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo[][] {
  const inChannels = x.shape[3];
  const outChannels = dy.shape[3];
  const grid = buildPhaseGrid(backend, x, g, Math.max(MIN_CHUNK_CELLS, Math.round(DY_FLOATS_PER_CHUNK / outChannels)));
  const dyGrid = dyOnGrid(backend, dy, grid);
  const { rowLength } = grid;
  const perTap: TensorInfo[][] = grid.taps.map(() => []);
  for (let chunk = 0; chunk < grid.chunks; chunk++) {
    const dyChunk = viewOf(backend, dyGrid, chunk * rowLength * outChannels, [rowLength, outChannels]);
    grid.taps.forEach((tap, t) => {
      const patches = viewOf(backend, tap.phase, chunk * inChannels * rowLength + tap.offset, [inChannels, rowLength]);
      perTap[t].push(runWasm(backend, 'BatchMatMul', { a: patches, b: dyChunk }, { transposeA: false, transposeB: false }));
      releaseView(backend, patches);
    });
    releaseView(backend, dyChunk);
  }
  release(backend, [dyGrid, ...grid.phases]);
  return perTap;
}

/**
 * On small maps, where the grid's padding would waste more than MAX_WINDOW_WASTE,
 * whole images at a time: each tap and channel's patch row is copied from the
 * (single-chunk) grid as outWidth-long runs, and one GEMM [taps·inC, pixels] ·
 * [pixels, outC] per chunk gives every tap at once.
 */
function runProducts(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo[][] {
  const [n, oh, ow, co] = dy.shape;
  const inChannels = x.shape[3];
  const { gridHeight, gridWidth } = gridSize(g);
  const grid = buildPhaseGrid(backend, x, g, n * gridHeight * gridWidth);
  const imagesPerChunk = Math.max(1, Math.min(n, Math.round(PIXELS_PER_RUN_CHUNK / (oh * ow))));
  const partials: TensorInfo[] = [];
  for (let firstImage = 0; firstImage < n; firstImage += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, n - firstImage);
    const pixels = images * oh * ow;
    const patchesT = backend.makeOutput([grid.taps.length * inChannels, pixels], 'float32');
    // Views only after the last allocation: growing the wasm heap detaches them.
    const heap = new Float32Array(heapF32(backend, patchesT).buffer);
    let dst = heapF32(backend, patchesT).byteOffset >>> 2;
    for (const tap of grid.taps) {
      const at = heapF32(backend, tap.phase).byteOffset >>> 2;
      for (let ch = 0; ch < inChannels; ch++) {
        for (let img = firstImage; img < firstImage + images; img++) {
          let src = at + ch * grid.rowLength + img * gridHeight * gridWidth + tap.offset;
          for (let row = 0; row < oh; row++, src += gridWidth, dst += ow) {
            for (let k = 0; k < ow; k++) heap[dst + k] = heap[src + k];
          }
        }
      }
    }
    const dyRows = viewOf(backend, dy, firstImage * oh * ow * co, [pixels, co]);
    partials.push(runWasm(backend, 'BatchMatMul', { a: patchesT, b: dyRows }, { transposeA: false, transposeB: false }));
    releaseView(backend, dyRows);
    release(backend, [patchesT]);
  }
  release(backend, grid.phases);
  return [partials];
}

/** dW of shape [kh, kw, inC, outC] for a convolution of x → dy with geometry `g` (dilation 1). */
export function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { gridHeight, gridWidth } = gridSize(g);
  const waste = (gridHeight * gridWidth) / (g.outHeight * g.outWidth);
  // Partial products per group of taps: one group per tap, or one of all taps.
  const groups = waste <= MAX_WINDOW_WASTE ? windowProducts(backend, x, dy, g) : runProducts(backend, x, dy, g);
  const dW = backend.makeOutput([g.filterHeight, g.filterWidth, x.shape[3], dy.shape[3]], 'float32');
  groups.forEach((partials, i) => {
    const sum = partials.length === 1 ? partials[0] : runWasm(backend, 'AddN', partials);
    heapF32(backend, dW).set(heapF32(backend, sum), i * heapF32(backend, sum).length);
    release(backend, partials.length === 1 ? partials : [...partials, sum]);
  });
  return dW;
}

function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
  const filterShape = attrs.filterShape as [number, number, number, number];
  const g = convGeometry(x.shape as [number, number, number, number], filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  return winogradApplies(g, filterShape[2], filterShape[3]) ? winogradFilterGradient(backend, x, dy, g) : filterGradient(backend, x, dy, g);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
