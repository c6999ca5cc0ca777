/**
 * Conv2D for wasm: 3x3 stride-1 convolutions (most of a ResNet's arithmetic)
 * by Winograd F(2x2, 3x3) (winograd.ts), every other one by the backend's own
 * XNNPACK kernel. The input gradient (conv2d-backprop-input.ts) runs its
 * forward convolutions through here too.
 */
import type { Conv2DAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry } from './conv-geometry';
import { runWasm, type WasmBackend } from './wasm-ops';
import { winogradApplies, winogradConv } from './winograd';

export function conv2d(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): TensorInfo {
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
  return winogradApplies(g, filter.shape[2], filter.shape[3])
    ? winogradConv(backend, x, filter, g)
    : runWasm(backend, 'Conv2D', { x, filter }, attrs);
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
