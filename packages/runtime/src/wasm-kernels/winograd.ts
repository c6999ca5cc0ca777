/**
 * 3x3 stride-1 convolutions by Winograd's minimal filtering (Lavin & Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016). The input gradient (through
 * conv2d.ts, conv2d-backprop-input.ts) and the filter gradient use F(4x4, 3x3) where there
 * are ≥ 64 4x4 tiles: 36 multiplies per 4x4 output tile and channel pair instead of 144, 4x
 * fewer; the forward convolution (see `winogradConv`) and smaller ones F(2x2, 3x3): 16 per
 * 2x2 tile, 2.25x fewer. The transforms and the products [tiles, inC] · [inC, outC]
 * (one per tile element) are native/conv-kernels.c (wasm SIMD128, run on the backend's
 * own memory, split across its threads). Against direct convolution in float64, F(2x2)
 * errs by ~1e-6 relative and F(4x4) by ~1e-5 (conv2d.test.ts measures both); speed is
 * measured by bench/wasm-training.bench.mjs (the runtime README's table).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './conv-geometry';
import { convKernels, runSplit } from './conv-kernels';
import { addressOf, release, type WasmBackend } from './wasm-ops';

/** Elements of the 4x4 transformed tile: one matrix product each. */
const TILE = 16;
/**
 * Each call transforms the whole filter (16/9 of its size), which XNNPACK's convolution
 * packs once per filter tensor, so small batches gain nothing. Measured (one thread, own
 * products) on ResNet-18's 3x3 layers: 4 tiles 3x slower, 16–32 tiles even, 64 tiles
 * 1.2–1.8x faster (4x4x512 at batch 16, 8x8x256 at batch 4).
 */
const MIN_TILES = 64;

/** Whether the Winograd kernels compute a convolution of geometry `g` from inC to outC channels, and are worth it. */
export function winogradApplies(g: ConvGeometry, inC: number, outC: number): boolean {
  return (
    g.filterHeight === 3 &&
    g.filterWidth === 3 &&
    g.strides[0] === 1 &&
    g.strides[1] === 1 &&
    g.dilations[0] === 1 &&
    g.dilations[1] === 1 &&
    // The transforms move 4 channels at a time.
    inC % 4 === 0 &&
    outC % 4 === 0 &&
    tiling(g).tiles >= MIN_TILES
  );
}

function tiling(g: ConvGeometry, outTile = 2): { tilesH: number; tilesW: number; tiles: number } {
  const tilesH = Math.ceil(g.outHeight / outTile);
  const tilesW = Math.ceil(g.outWidth / outTile);
  return { tilesH, tilesW, tiles: g.batch * tilesH * tilesW };
}

/**
 * What differs between F(2x2, 3x3) and F(4x4, 3x3): the output tile, the transformed tile's
 * elements (one matrix product each), the native transforms, and their work per element (for
 * `runSplit`'s threading threshold: F(4x4)'s transforms cost ~4x more per element). The
 * products are the same kernels for both.
 */
interface Variant {
  outTile: number;
  elements: number;
  transformWork: number;
  input: 'winograd_input' | 'winograd4_input';
  output: 'winograd_output' | 'winograd4_output';
  outputGradient: 'winograd_output_gradient' | 'winograd4_output_gradient';
  filterGradient: 'winograd_filter_gradient' | 'winograd4_filter_gradient';
  /** The filter transform into u [elements, inC, outC]. */
  filter(backend: WasmBackend, filter: TensorInfo, inC: number, outC: number, u: TensorInfo): void;
}

const F2: Variant = {
  outTile: 2,
  elements: TILE,
  transformWork: 1,
  input: 'winograd_input',
  output: 'winograd_output',
  outputGradient: 'winograd_output_gradient',
  filterGradient: 'winograd_filter_gradient',
  filter: (backend, filter, inC, outC, u) =>
    convKernels(backend).winograd_filter(addressOf(backend, filter), inC, outC, addressOf(backend, u)),
};

const F4: Variant = {
  outTile: 4,
  elements: 36,
  transformWork: 4,
  input: 'winograd4_input',
  output: 'winograd4_output',
  outputGradient: 'winograd4_output_gradient',
  filterGradient: 'winograd4_filter_gradient',
  // Split by input channel: the transform is 36/9 of the filter's size.
  filter: (backend, filter, inC, outC, u) =>
    runSplit(
      backend,
      'winograd4_filter',
      [addressOf(backend, filter), inC, outC, addressOf(backend, u)],
      inC,
      36 * inC * outC * 4,
    ),
};

/** F(4x4, 3x3) where its tiles are worth a filter transform 36/9 the filter's size. */
const useF4 = (g: ConvGeometry): boolean => tiling(g, 4).tiles >= MIN_TILES;

/**
 * The convolution of x with a 3x3 filter at stride 1 (see `winogradApplies`), as [N, outH,
 * outW, outC]. `f4`: F(4x4, 3x3) where it applies (gradients); forward activations stay on
 * F(2x2): they decide ReLU masks, and F(4x4)'s ~7x larger rounding flips values near 0 away
 * from the cpu backend's (and PyTorch's) side often enough to move whole gradients by 1e-3
 * (the two-views gradient test of @selfsup/backbones, 24 px, measured).
 */
export function winogradConv(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
  { f4 = false } = {},
): TensorInfo {
  return transformedConv(f4 && useF4(g) ? F4 : F2, backend, x, filter, g);
}

/** Bᵀ d B of the input tiles, one product per tile element, Aᵀ m A. */
function transformedConv(
  f: Variant,
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const [n, , , inC] = x.shape;
  const outC = filter.shape[3];
  const { tilesH, tilesW, tiles } = tiling(g, f.outTile);
  const u = backend.makeOutput([f.elements, inC, outC], 'float32');
  const v = backend.makeOutput([f.elements, tiles, inC], 'float32');
  const m = backend.makeOutput([f.elements, tiles, outC], 'float32');
  const y = backend.makeOutput([n, g.outHeight, g.outWidth, outC], 'float32');
  f.filter(backend, filter, inC, outC, u);
  transformInput(f, backend, x, g, v);
  // Split by tile element: each product value is one thread's sum over the input channels, in order.
  runSplit(
    backend,
    'winograd_products',
    [addressOf(backend, v), addressOf(backend, u), tiles, inC, outC, addressOf(backend, m)],
    f.elements,
    f.elements * tiles * inC * outC,
  );
  runSplit(
    backend,
    f.output,
    [addressOf(backend, m), n, g.outHeight, g.outWidth, outC, tilesH, tilesW, addressOf(backend, y)],
    n,
    f.elements * tiles * outC * f.transformWork,
  );
  release(backend, [u, v, m]);
  return y;
}

/** V = Bᵀ d B of every input tile into v [elements, tiles, inC], split by image. */
function transformInput(f: Variant, backend: WasmBackend, x: TensorInfo, g: ConvGeometry, v: TensorInfo): void {
  const [n, h, w, inC] = x.shape;
  const { tilesH, tilesW, tiles } = tiling(g, f.outTile);
  runSplit(
    backend,
    f.input,
    [addressOf(backend, x), n, h, w, inC, g.padTop, g.padLeft, tilesH, tilesW, addressOf(backend, v)],
    n,
    f.elements * tiles * inC * f.transformWork,
  );
}

/**
 * dW [3, 3, inC, outC] of a 3x3 stride-1 convolution x → dy (see `winogradApplies`):
 * dU = Σ over tiles of Vᵀ · dM per tile element (V = Bᵀ d B of x, dM = A dY Aᵀ of dy),
 * then dW = Gᵀ dU G. The products are the module's own (winograd_filter_products): as
 * GEMMs, XNNPACK would pack each element's dM, which costs more than it saves. Each dU
 * value is one thread's sum over the tiles in order, so dW is the same for any thread
 * count.
 */
export function winogradFilterGradient(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  return transformedFilterGradient(useF4(g) ? F4 : F2, backend, x, dy, g);
}

/** V of the input tiles, dM = A dY Aᵀ of the dy tiles, one product per tile element, dW = Gᵀ dU G. */
function transformedFilterGradient(
  f: Variant,
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const inC = x.shape[3];
  const outC = dy.shape[3];
  const { tilesH, tilesW, tiles } = tiling(g, f.outTile);
  const v = backend.makeOutput([f.elements, tiles, inC], 'float32');
  const dm = backend.makeOutput([f.elements, tiles, outC], 'float32');
  const du = backend.makeOutput([f.elements, inC, outC], 'float32');
  const dW = backend.makeOutput([3, 3, inC, outC], 'float32');
  transformInput(f, backend, x, g, v);
  runSplit(
    backend,
    f.outputGradient,
    [addressOf(backend, dy), dy.shape[0], g.outHeight, g.outWidth, outC, tilesH, tilesW, addressOf(backend, dm)],
    dy.shape[0],
    f.elements * tiles * outC * f.transformWork,
  );
  // Split by tile element: each dU value is one thread's sum over every tile, in order.
  runSplit(
    backend,
    'winograd_filter_products',
    [addressOf(backend, v), addressOf(backend, dm), tiles, inC, outC, addressOf(backend, du)],
    f.elements,
    f.elements * tiles * inC * outC,
  );
  convKernels(backend)[f.filterGradient](addressOf(backend, du), inC, outC, addressOf(backend, dW));
  release(backend, [v, dm, du]);
  return dW;
}
