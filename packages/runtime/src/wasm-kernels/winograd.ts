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

function tiling(g: ConvGeometry): { tilesH: number; tilesW: number; tiles: number } {
  const tilesH = Math.ceil(g.outHeight / 2);
  const tilesW = Math.ceil(g.outWidth / 2);
  return { tilesH, tilesW, tiles: g.batch * tilesH * tilesW };
}

/** F(4x4, 3x3)'s tile elements (6x6). */
const TILE4 = 36;

function tiling4(g: ConvGeometry): { tilesH: number; tilesW: number; tiles: number } {
  const tilesH = Math.ceil(g.outHeight / 4);
  const tilesW = Math.ceil(g.outWidth / 4);
  return { tilesH, tilesW, tiles: g.batch * tilesH * tilesW };
}

/** F(4x4, 3x3) where its tiles are worth a filter transform 36/9 the filter's size. */
const useF4 = (g: ConvGeometry): boolean => tiling4(g).tiles >= MIN_TILES;

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
  return f4 && useF4(g) ? winograd4Conv(backend, x, filter, g) : winograd2Conv(backend, x, filter, g);
}

/** By F(4x4, 3x3): Bᵀ d B of 6x6 input tiles, 36 products, Aᵀ m A. */
function winograd4Conv(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, h, w, inC] = x.shape;
  const outC = filter.shape[3];
  const { tilesH, tilesW, tiles } = tiling4(g);
  const u = backend.makeOutput([TILE4, inC, outC], 'float32');
  const v = backend.makeOutput([TILE4, tiles, inC], 'float32');
  const m = backend.makeOutput([TILE4, tiles, outC], 'float32');
  const y = backend.makeOutput([n, g.outHeight, g.outWidth, outC], 'float32');
  runSplit(
    backend,
    'winograd4_filter',
    [addressOf(backend, filter), inC, outC, addressOf(backend, u)],
    inC,
    TILE4 * inC * outC * 4,
  );
  runSplit(
    backend,
    'winograd4_input',
    [addressOf(backend, x), n, h, w, inC, g.padTop, g.padLeft, tilesH, tilesW, addressOf(backend, v)],
    n,
    TILE4 * tiles * inC * 4,
  );
  // Split by tile element: each product value is one thread's sum over the input channels, in order.
  runSplit(
    backend,
    'winograd_products',
    [addressOf(backend, v), addressOf(backend, u), tiles, inC, outC, addressOf(backend, m)],
    TILE4,
    TILE4 * tiles * inC * outC,
  );
  runSplit(
    backend,
    'winograd4_output',
    [addressOf(backend, m), n, g.outHeight, g.outWidth, outC, tilesH, tilesW, addressOf(backend, y)],
    n,
    TILE4 * tiles * outC * 4,
  );
  release(backend, [u, v, m]);
  return y;
}

/** By F(2x2, 3x3). */
function winograd2Conv(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const wasm = convKernels(backend);
  const [n, h, w, inC] = x.shape;
  const outC = filter.shape[3];
  const { tilesH, tilesW, tiles } = tiling(g);

  const u = backend.makeOutput([TILE, inC, outC], 'float32');
  const v = backend.makeOutput([TILE, tiles, inC], 'float32');
  const m = backend.makeOutput([TILE, tiles, outC], 'float32');
  const y = backend.makeOutput([n, g.outHeight, g.outWidth, outC], 'float32');
  wasm.winograd_filter(addressOf(backend, filter), inC, outC, addressOf(backend, u));
  runSplit(
    backend,
    'winograd_input',
    [addressOf(backend, x), n, h, w, inC, g.padTop, g.padLeft, tilesH, tilesW, addressOf(backend, v)],
    n,
    TILE * tiles * inC,
  );
  // Split by tile element: each product value is one thread's sum over the input channels, in order.
  runSplit(
    backend,
    'winograd_products',
    [addressOf(backend, v), addressOf(backend, u), tiles, inC, outC, addressOf(backend, m)],
    TILE,
    TILE * tiles * inC * outC,
  );
  runSplit(
    backend,
    'winograd_output',
    [addressOf(backend, m), n, g.outHeight, g.outWidth, outC, tilesH, tilesW, addressOf(backend, y)],
    n,
    TILE * tiles * outC,
  );
  release(backend, [u, v, m]);
  return y;
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
  return useF4(g) ? winograd4FilterGradient(backend, x, dy, g) : winograd2FilterGradient(backend, x, dy, g);
}

/** By F(4x4, 3x3): V of 6x6 input tiles, dM = A dY Aᵀ of 4x4 dy tiles, 36 products, dW = Gᵀ dU G. */
function winograd4FilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, h, w, inC] = x.shape;
  const outC = dy.shape[3];
  const { tilesH, tilesW, tiles } = tiling4(g);
  const v = backend.makeOutput([TILE4, tiles, inC], 'float32');
  const dm = backend.makeOutput([TILE4, tiles, outC], 'float32');
  const du = backend.makeOutput([TILE4, inC, outC], 'float32');
  const dW = backend.makeOutput([3, 3, inC, outC], 'float32');
  runSplit(
    backend,
    'winograd4_input',
    [addressOf(backend, x), n, h, w, inC, g.padTop, g.padLeft, tilesH, tilesW, addressOf(backend, v)],
    n,
    TILE4 * tiles * inC * 4,
  );
  runSplit(
    backend,
    'winograd4_output_gradient',
    [addressOf(backend, dy), n, g.outHeight, g.outWidth, outC, tilesH, tilesW, addressOf(backend, dm)],
    n,
    TILE4 * tiles * outC * 4,
  );
  // Split by tile element: each dU value is one thread's sum over every tile, in order.
  runSplit(
    backend,
    'winograd_filter_products',
    [addressOf(backend, v), addressOf(backend, dm), tiles, inC, outC, addressOf(backend, du)],
    TILE4,
    TILE4 * tiles * inC * outC,
  );
  convKernels(backend).winograd4_filter_gradient(addressOf(backend, du), inC, outC, addressOf(backend, dW));
  release(backend, [v, dm, du]);
  return dW;
}

/** By F(2x2, 3x3). */
function winograd2FilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const wasm = convKernels(backend);
  const [n, h, w, inC] = x.shape;
  const outC = dy.shape[3];
  const { tilesH, tilesW, tiles } = tiling(g);
  const v = backend.makeOutput([TILE, tiles, inC], 'float32');
  const dm = backend.makeOutput([TILE, tiles, outC], 'float32');
  const du = backend.makeOutput([TILE, inC, outC], 'float32');
  const dW = backend.makeOutput([3, 3, inC, outC], 'float32');
  runSplit(
    backend,
    'winograd_input',
    [addressOf(backend, x), n, h, w, inC, g.padTop, g.padLeft, tilesH, tilesW, addressOf(backend, v)],
    n,
    TILE * tiles * inC,
  );
  runSplit(
    backend,
    'winograd_output_gradient',
    [addressOf(backend, dy), n, g.outHeight, g.outWidth, outC, tilesH, tilesW, addressOf(backend, dm)],
    n,
    TILE * tiles * outC,
  );
  // Split by tile element: each dU value is one thread's sum over every tile, in order.
  runSplit(
    backend,
    'winograd_filter_products',
    [addressOf(backend, v), addressOf(backend, dm), tiles, inC, outC, addressOf(backend, du)],
    TILE,
    TILE * tiles * inC * outC,
  );
  wasm.winograd_filter_gradient(addressOf(backend, du), inC, outC, addressOf(backend, dW));
  release(backend, [v, dm, du]);
  return dW;
}
