/**
 * MaxPoolGrad for wasm: the backend's own is a scalar loop on one thread (a quarter of a
 * BYOL ConvNet step, batch 256). This one is native/conv-kernels.c's `max_pool_gradient`:
 * four channels at a time, the window's first maximum found by SIMD compares, split by
 * image across the threads (each dx value is one thread's work, so results do not depend
 * on the thread count). It also replaces a backend kernel that gives wrong gradients for
 * channel counts that are not a multiple of 4 (tested). Any dtype but float32 goes to the
 * backend's own.
 */
import { backend_util, type KernelConfig, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { runSplit } from './conv-kernels';
import { addressOf, heapF32, runWasm, type WasmBackend } from './wasm-ops';

function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackend;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (input.dtype !== 'float32') return runWasm(backend, 'MaxPoolGrad', inputs, attrs);
  const dx = backend.makeOutput(input.shape, 'float32');
  heapF32(backend, dx).fill(0);
  runSplit(
    backend,
    'max_pool_gradient',
    [
      addressOf(backend, input),
      addressOf(backend, dy),
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.dilationHeight,
      info.dilationWidth,
      info.padInfo.top,
      info.padInfo.left,
      addressOf(backend, dx),
    ],
    info.batchSize,
    dy.shape.reduce((a, b) => a * b, 1) * info.filterHeight * info.filterWidth,
  );
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
