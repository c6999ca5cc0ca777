/**
 * Conv2DBackpropFilter for wasm (the backend has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh·d − p, ow·s + kw·d − p, ci] · dy[n,oh,ow,co]
 * is one matrix product patchesᵀ · dy reduced over every output pixel of the
 * batch. XNNPACK's GEMM does not block that reduction dimension: over the 65k
 * pixels of a ResNet stage-1 batch it runs at under half its speed on ~1k, and
 * a forward convolution with batch and channels swapped is slower still (its
 * "filter" is all of dy). So the pixels are cut into chunks of about 1k, and
 * per chunk one GEMM [kh·kw·ci, pixels] · [pixels, co] gives that chunk's dW in
 * its own layout. The GEMM packs its right operand on every call, so that side
 * is dy's chunk (a plain copy of contiguous rows), the small one; the patches
 * are cut from a channels-first copy of the padded input, where each filter tap
 * and channel reads whole output rows (the wasm StridedSlice kernel would cost
 * ~100x more).
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { heapF32, release, reshape, runWasm, transpose, type WasmBackend } from './wasm-ops';

/** Output pixels per matrix product: enough to amortise a call, few enough to stay in cache. */
const PIXELS_PER_CHUNK = 1024;
/** Shorter runs are copied value by value: one copyWithin call costs ~200 ns, as much as ~200 loads. */
const MIN_MEMMOVE = 256;

/** Zeros needed after the input for the last window; negative: trailing rows no window reads. */
function padAfter(inSize: number, outSize: number, filterSize: number, stride: number, dilation: number, padBefore: number): number {
  return (outSize - 1) * stride + (filterSize - 1) * dilation + 1 - inSize - padBefore;
}

/**
 * Fill `patchesT` ([kh·kw·c, pixels]) for images [first, first + images) from the padded,
 * channels-first input at `xCf` ([c, N, hp, wp]).
 */
function gatherPatchesT(heap: Float32Array, xCf: number, patchesT: number, cfShape: number[], g: ConvGeometry, first: number, images: number): void {
  const [c, n, hp, wp] = cfShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const ow = g.outWidth;
  const memmove = sw === 1 && ow >= MIN_MEMMOVE;
  let dst = patchesT;
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      for (let ch = 0; ch < c; ch++) {
        for (let img = first; img < first + images; img++) {
          const plane = xCf + (ch * n + img) * hp * wp + j * dw;
          for (let oh = 0; oh < g.outHeight; oh++) {
            const src = plane + (oh * sh + i * dh) * wp;
            if (memmove) heap.copyWithin(dst, src, src + ow);
            else for (let k = 0; k < ow; k++) heap[dst + k] = heap[src + k * sw];
            dst += ow;
          }
        }
      }
    }
  }
}

/** dW of shape [kh, kw, inC, outC] for a convolution of x → dy with geometry `g`. */
export function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, outChannels: number): TensorInfo {
  const inChannels = x.shape[3];
  const afterH = padAfter(g.inHeight, g.outHeight, g.filterHeight, g.strides[0], g.dilations[0], g.padTop);
  const afterW = padAfter(g.inWidth, g.outWidth, g.filterWidth, g.strides[1], g.dilations[1], g.padLeft);
  const needsPad = g.padTop + g.padLeft + Math.max(0, afterH) + Math.max(0, afterW) > 0;
  const padded = needsPad
    ? runWasm(backend, 'PadV2', { x }, { paddings: [[0, 0], [g.padTop, Math.max(0, afterH)], [g.padLeft, Math.max(0, afterW)], [0, 0]], constantValue: 0 })
    : x;
  const channelsFirst = transpose(backend, padded, [3, 0, 1, 2]);
  release(backend, [padded], [x]);

  const taps = g.filterHeight * g.filterWidth * inChannels;
  const pixelsPerImage = g.outHeight * g.outWidth;
  const imagesPerChunk = Math.max(1, Math.min(g.batch, Math.round(PIXELS_PER_CHUNK / pixelsPerImage)));
  const partials: TensorInfo[] = [];
  for (let first = 0; first < g.batch; first += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, g.batch - first);
    const pixels = images * pixelsPerImage;
    const patchesT = backend.makeOutput([taps, pixels], 'float32');
    const dyRows = backend.makeOutput([pixels, outChannels], 'float32');
    // Views only after the last allocation: growing the wasm heap detaches them.
    const heap = new Float32Array(heapF32(backend, patchesT).buffer);
    const at = (info: TensorInfo) => heapF32(backend, info).byteOffset >>> 2;
    gatherPatchesT(heap, at(channelsFirst), at(patchesT), channelsFirst.shape, g, first, images);
    const dyFirst = at(dy) + first * pixelsPerImage * outChannels;
    heap.copyWithin(at(dyRows), dyFirst, dyFirst + pixels * outChannels);
    partials.push(runWasm(backend, 'BatchMatMul', { a: patchesT, b: dyRows }, { transposeA: false, transposeB: false }));
    release(backend, [patchesT, dyRows]);
  }
  release(backend, [channelsFirst]);
  const sum = partials.length === 1 ? partials[0] : runWasm(backend, 'AddN', partials);
  const dW = reshape(backend, sum, [g.filterHeight, g.filterWidth, inChannels, outChannels]);
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
