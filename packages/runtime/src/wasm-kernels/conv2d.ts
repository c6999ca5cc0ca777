/**
 * Conv2D for wasm: 3x3 stride-1 convolutions (most of a ResNet's arithmetic)
 * by Winograd (winograd.ts: F(2x2, 3x3) forward, F(4x4, 3x3) for the input gradient); every other one with output channels in fours by
 * native/conv-kernels.c's direct kernel (`conv_direct`: 4 pixels x 8 channels
 * per register tile, fused multiply-adds where the engine has them; ~2-3x
 * XNNPACK's convolution, which repacks the filter on every call), split by
 * output row across the threads; the rest by the backend's own XNNPACK kernel.
 * The input gradient (conv2d-backprop-input.ts) runs its forward convolutions
 * through here too.
 */
import type { Conv2DAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry, type ConvGeometry } from './conv-geometry';
import { runSplit } from './conv-kernels';
import { addressOf, runWasm, type WasmBackend } from './wasm-ops';
import { winogradApplies, winogradConv } from './winograd';

function directConv(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, h, w, inC] = x.shape;
  const outC = filter.shape[3];
  const y = backend.makeOutput([n, g.outHeight, g.outWidth, outC], 'float32');
  const args = [
    addressOf(backend, x),
    h,
    w,
    inC,
    addressOf(backend, filter),
    g.filterHeight,
    g.filterWidth,
    outC,
    g.strides[0],
    g.strides[1],
    g.dilations[0],
    g.dilations[1],
    g.padTop,
    g.padLeft,
    addressOf(backend, y),
    g.outHeight,
    g.outWidth,
  ];
  const rows = n * g.outHeight;
  runSplit(backend, 'conv_direct', args, rows, rows * g.outWidth * g.filterHeight * g.filterWidth * inC * outC);
  return y;
}

/** `f4`: Winograd may use F(4x4, 3x3) (gradients; see `winogradConv`). */
export function conv2d(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DAttrs,
  { f4 = false } = {},
): TensorInfo {
  assertChannelsLast('Conv2D', attrs.dataFormat);
  const g = convGeometry(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
  );
  if (winogradApplies(g, filter.shape[2], filter.shape[3])) return winogradConv(backend, x, filter, g, { f4 });
  if (filter.shape[3] % 4 === 0 && x.dtype === 'float32' && g.outHeight * g.outWidth > 0) {
    return directConv(backend, x, filter, g);
  }
  return runWasm(backend, 'Conv2D', { x, filter }, attrs);
}

function conv2DKernel(args: {
  inputs: { x: TensorInfo; filter: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DAttrs;
}): TensorInfo {
  const {
    inputs: { x, filter },
    backend,
    attrs,
  } = args;
  return conv2d(backend, x, filter, attrs);
}

export const conv2DConfig: KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: conv2DKernel as unknown as KernelConfig['kernelFunc'],
};
