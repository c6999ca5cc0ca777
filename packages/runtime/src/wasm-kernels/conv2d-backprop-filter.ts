/**
 * Conv2DBackpropFilter for wasm (the backend has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh·d − p, ow·s + kw·d − p, ci] · dy[n,oh,ow,co]
 * is itself a forward convolution once batch and channels swap roles: the
 * input is x as [ci, H, W, n], the "filter" is dy as [oh, ow, n, co], the
 * stride becomes the dilation and vice versa, and the output [ci, kh, kw, co]
 * is dW up to a transpose. One large XNNPACK convolution, no im2col copy.
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { release, runWasm, slice, transpose, type WasmBackend } from './wasm-ops';

/**
 * Input rows the forward conv read beyond the bottom/right edge (padding after),
 * or, when negative, trailing input rows it never read (to be cropped).
 */
function trailing(inSize: number, outSize: number, filterSize: number, stride: number, dilation: number, padBefore: number): number {
  return (outSize - 1) * stride + (filterSize - 1) * dilation + 1 - inSize - padBefore;
}

/** dW of shape [kh, kw, inC, outC] for a convolution of x → dy with geometry `g`. */
export function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const afterH = trailing(g.inHeight, g.outHeight, g.filterHeight, g.strides[0], g.dilations[0], g.padTop);
  const afterW = trailing(g.inWidth, g.outWidth, g.filterWidth, g.strides[1], g.dilations[1], g.padLeft);
  const [n, h, w, c] = x.shape;
  const cropped = afterH < 0 || afterW < 0 ? slice(backend, x, [0, 0, 0, 0], [n, h + Math.min(0, afterH), w + Math.min(0, afterW), c]) : x;
  const xT = transpose(backend, cropped, [3, 1, 2, 0]);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const swapped = runWasm(backend, 'Conv2D', { x: xT, filter: dyT }, {
    strides: g.dilations,
    dilations: g.strides,
    pad: [[0, 0], [g.padTop, Math.max(0, afterH)], [g.padLeft, Math.max(0, afterW)], [0, 0]],
    dataFormat: 'NHWC',
  });
  const dw = transpose(backend, swapped, [1, 2, 0, 3]);
  release(backend, [cropped, xT, dyT, swapped], [x]);
  return dw;
}

function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
  const g = convGeometry(x.shape as [number, number, number, number], attrs.filterShape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  return filterGradient(backend, x, dy, g);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
