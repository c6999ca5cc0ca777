/**
 * Conv2DBackpropFilter for wasm (the backend has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh·d − p, ow·s + kw·d − p, ci] · dy[n,oh,ow,co]
 * is one matrix product dyᵀ · patches reduced over every output pixel of the
 * batch. XNNPACK's GEMM does not block that reduction dimension: over the 65k
 * pixels of a ResNet stage-1 batch it runs at under half its speed on ~1k, and
 * a forward convolution with batch and channels swapped is slower still (its
 * "filter" is all of dy). So the pixels are cut into chunks of about 1k; per
 * chunk the patches are gathered into a [pixels, kh·kw·ci] matrix with one
 * memmove per filter row (the wasm StridedSlice kernel costs ~100x more), dy's
 * rows are transposed alongside, and one GEMM gives that chunk's dWᵀ.
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { heapF32, release, reshape, runWasm, transpose, type WasmBackend } from './wasm-ops';

/** Output pixels per matrix product: enough to amortise a call, few enough to stay in cache. */
const PIXELS_PER_CHUNK = 1024;

/** Zeros needed after the input for the last window; negative: trailing rows no window reads. */
function padAfter(inSize: number, outSize: number, filterSize: number, stride: number, dilation: number, padBefore: number): number {
  return (outSize - 1) * stride + (filterSize - 1) * dilation + 1 - inSize - padBefore;
}

/** Copy the patches of images [first, first + images) of padded NHWC `xPad` into `patches` ([pixels, kh·kw·c]). */
function gatherPatches(heap: Float32Array, xPad: number, patches: number, paddedShape: number[], g: ConvGeometry, first: number, images: number): void {
  const [, hp, wp, c] = paddedShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  // With unit dilation a filter row is one contiguous run of kw·c values.
  const run = dw === 1 ? g.filterWidth * c : c;
  const runsPerRow = dw === 1 ? 1 : g.filterWidth;
  let dst = patches;
  for (let n = first; n < first + images; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++) {
        for (let i = 0; i < g.filterHeight; i++) {
          const rowStart = xPad + ((n * hp + oh * sh + i * dh) * wp + ow * sw) * c;
          for (let j = 0; j < runsPerRow; j++) {
            const src = rowStart + j * dw * c;
            heap.copyWithin(dst, src, src + run);
            dst += run;
          }
        }
      }
    }
  }
}

/** Copy dy rows [row0, row0 + rows) transposed into `out` ([channels, rows]). */
function gatherTransposed(heap: Float32Array, dy: number, out: number, channels: number, row0: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const src = dy + (row0 + r) * channels;
    for (let ch = 0; ch < channels; ch++) heap[out + ch * rows + r] = heap[src + ch];
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

  const taps = g.filterHeight * g.filterWidth * inChannels;
  const pixelsPerImage = g.outHeight * g.outWidth;
  const imagesPerChunk = Math.max(1, Math.min(g.batch, Math.round(PIXELS_PER_CHUNK / pixelsPerImage)));
  const partials: TensorInfo[] = [];
  for (let first = 0; first < g.batch; first += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, g.batch - first);
    const pixels = images * pixelsPerImage;
    const patches = backend.makeOutput([pixels, taps], 'float32');
    const dyT = backend.makeOutput([outChannels, pixels], 'float32');
    // Views only after the last allocation: growing the wasm heap detaches them.
    const heap = new Float32Array(heapF32(backend, patches).buffer);
    const at = (info: TensorInfo) => heapF32(backend, info).byteOffset >>> 2;
    gatherPatches(heap, at(padded), at(patches), padded.shape, g, first, images);
    gatherTransposed(heap, at(dy), at(dyT), outChannels, first * pixelsPerImage, pixels);
    partials.push(runWasm(backend, 'BatchMatMul', { a: dyT, b: patches }, { transposeA: false, transposeB: false }));
    release(backend, [patches, dyT]);
  }
  release(backend, [padded], [x]);
  const sum = partials.length === 1 ? partials[0] : runWasm(backend, 'AddN', partials);
  const dWT = reshape(backend, sum, [outChannels, g.filterHeight, g.filterWidth, inChannels]);
  const dW = transpose(backend, dWT, [1, 2, 3, 0]);
  release(backend, [...(partials.length === 1 ? [] : partials), sum, dWT]);
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
