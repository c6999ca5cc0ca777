/**
 * Conv2DBackpropFilter for wasm (the backend has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh − p, ow·s + kw − p, ci] · dy[n,oh,ow,co],
 * by the first that applies:
 *  - 3x3 stride 1, channels in fours: Winograd F(2x2, 3x3) (winograd.ts);
 *  - channels in fours: native/conv-kernels.c's direct kernel, which reads x at
 *    each pixel a tap touches, with no patch matrix;
 *  - input channels not in fours (a network's first layer, on 3 colour channels),
 *    output channels in fours: x padded with zero channels to a multiple of 4, then
 *    one of the above, and the padding's rows of dW dropped (~8x faster than patches);
 *  - otherwise: patches copied from the input's phase grids (phase-grid.ts) as runs
 *    of outWidth values, and one GEMM [taps·inC, pixels] · [pixels, outC] per chunk
 *    of whole images.
 * In the first three each dW value is one thread's sum over every output pixel in
 * order, so dW does not depend on the thread count.
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { runSplit } from './conv-kernels';
import { buildPhaseGrid } from './phase-grid';
import { addressOf, heapF32, release, releaseView, runWasm, viewOf, type WasmBackend } from './wasm-ops';
import { winogradApplies, winogradFilterGradient } from './winograd';

/** Output pixels per GEMM when patches are copied. */
const PIXELS_PER_CHUNK = 1024;

function directFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, h, w, inC] = x.shape;
  const [, oh, ow, outC] = dy.shape;
  const dW = backend.makeOutput([g.filterHeight, g.filterWidth, inC, outC], 'float32');
  const args = [
    addressOf(backend, x),
    n,
    h,
    w,
    inC,
    addressOf(backend, dy),
    oh,
    ow,
    outC,
    g.filterHeight,
    g.filterWidth,
    g.strides[0],
    g.strides[1],
    g.dilations[0],
    g.dilations[1],
    g.padTop,
    g.padLeft,
    addressOf(backend, dW),
  ];
  // Split by input channel (in fours): each dW value is one thread's sum over every pixel, in order.
  runSplit(backend, 'conv_filter_gradient', args, inC, n * oh * ow * g.filterHeight * g.filterWidth * inC * outC, 4);
  return dW;
}

/** Patches copied per chunk of whole images: each tap and channel's row is outWidth-long runs of its phase grid. */
function patchFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, oh, ow, co] = dy.shape;
  const inChannels = x.shape[3];
  const grid = buildPhaseGrid(backend, x, g);
  const { gridHeight, gridWidth, channelStride } = grid;
  const imagesPerChunk = Math.max(1, Math.min(n, Math.round(PIXELS_PER_CHUNK / (oh * ow))));
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
          let src = at + ch * channelStride + img * gridHeight * gridWidth + tap.offset;
          for (let row = 0; row < oh; row++, src += gridWidth, dst += ow) {
            for (let k = 0; k < ow; k++) heap[dst + k] = heap[src + k];
          }
        }
      }
    }
    const dyRows = viewOf(backend, dy, firstImage * oh * ow * co, [pixels, co]);
    partials.push(
      runWasm(backend, 'BatchMatMul', { a: patchesT, b: dyRows }, { transposeA: false, transposeB: false }),
    );
    releaseView(backend, dyRows);
    release(backend, [patchesT]);
  }
  release(backend, grid.phases);
  const sum = partials.length === 1 ? partials[0] : runWasm(backend, 'AddN', partials);
  const dW = backend.makeOutput([g.filterHeight, g.filterWidth, inChannels, co], 'float32');
  heapF32(backend, dW).set(heapF32(backend, sum));
  release(backend, partials.length === 1 ? partials : [...partials, sum]);
  return dW;
}

/** The filter gradient of x padded with zero channels to a multiple of 4, padding rows dropped. */
function paddedChannelsFilterGradient(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const [n, h, w, inC] = x.shape;
  const outC = dy.shape[3];
  const wide = Math.ceil(inC / 4) * 4;
  const padded = backend.makeOutput([n, h, w, wide], 'float32');
  {
    const [src, dst] = [heapF32(backend, x), heapF32(backend, padded)];
    dst.fill(0);
    for (let p = 0, q = 0; p < src.length; p += inC, q += wide) for (let c = 0; c < inC; c++) dst[q + c] = src[p + c];
  }
  const dWide = filterGradient(backend, padded, dy, g);
  const dW = backend.makeOutput([g.filterHeight, g.filterWidth, inC, outC], 'float32');
  const [src, dst] = [heapF32(backend, dWide), heapF32(backend, dW)];
  for (let tap = 0; tap < g.filterHeight * g.filterWidth; tap++) {
    dst.set(src.subarray(tap * wide * outC, (tap * wide + inC) * outC), tap * inC * outC);
  }
  release(backend, [padded, dWide]);
  return dW;
}

/** dW of shape [kh, kw, inC, outC] for a convolution of x → dy with geometry `g` (tfjs has no dilated one). */
function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const [inC, outC] = [x.shape[3], dy.shape[3]];
  if (winogradApplies(g, inC, outC)) return winogradFilterGradient(backend, x, dy, g);
  if (inC % 4 === 0 && outC % 4 === 0) return directFilterGradient(backend, x, dy, g);
  if (outC % 4 === 0) return paddedChannelsFilterGradient(backend, x, dy, g);
  return patchFilterGradient(backend, x, dy, g);
}

function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const {
    inputs: { x, dy },
    backend,
    attrs,
  } = args;
  assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
  const filterShape = attrs.filterShape as [number, number, number, number];
  const g = convGeometry(
    x.shape as [number, number, number, number],
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
  );
  return filterGradient(backend, x, dy, g);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
