/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (the backend has none).
 *
 * Each tap of a depthwise filter is a per-channel dot product between one
 * shifted, strided window of the padded input and dy; a depthwise layer has
 * few taps (≤ 49) and the sum over batch and pixels is a matrix product with
 * a row of ones, which runs on XNNPACK's GEMM instead of a transposing reduce.
 */
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry } from './conv-geometry';
import { fromValues, heapF32, release, reshape, runWasm, type WasmBackend } from './wasm-ops';

function depthwiseBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackend;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const {
    inputs: { x, dy },
    backend,
    attrs,
  } = args;
  const [kh, kw, c, m] = attrs.filterShape;
  const g = convGeometry(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const pixels = g.batch * g.outHeight * g.outWidth;
  // Pad after only as far as the last window reaches (trailing rows it never reads stay unpadded).
  const afterH = Math.max(0, (g.outHeight - 1) * sh + (kh - 1) * dh + 1 - g.inHeight - g.padTop);
  const afterW = Math.max(0, (g.outWidth - 1) * sw + (kw - 1) * dw + 1 - g.inWidth - g.padLeft);
  const padded = runWasm(
    backend,
    'PadV2',
    { x },
    {
      paddings: [
        [0, 0],
        [g.padTop, afterH],
        [g.padLeft, afterW],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const ones = fromValues(backend, [1, pixels], new Float32Array(pixels).fill(1));
  const dyFlat = reshape(backend, dy, [pixels, c * m]);
  const taps: TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const window = runWasm(
        backend,
        'StridedSlice',
        { x: padded },
        {
          begin: [0, i * dh, j * dw, 0],
          end: [g.batch, i * dh + (g.outHeight - 1) * sh + 1, j * dw + (g.outWidth - 1) * sw + 1, c],
          strides: [1, sh, sw, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
      // Each input channel meets its m outputs: broadcast the window over m.
      const windowFlat = reshape(backend, window, m === 1 ? [pixels, c] : [pixels, c, 1]);
      const dyView = m === 1 ? dyFlat : reshape(backend, dy, [pixels, c, m]);
      const product = runWasm(backend, 'Multiply', { a: windowFlat, b: dyView });
      const productFlat = reshape(backend, product, [pixels, c * m]);
      taps.push(runWasm(backend, 'BatchMatMul', { a: ones, b: productFlat }, { transposeA: false, transposeB: false }));
      release(backend, [window, windowFlat, product, productFlat, dyView === dyFlat ? undefined : dyView]);
    }
  }
  const dwValues = new Float32Array(kh * kw * c * m);
  taps.forEach((tap, t) => dwValues.set(heapF32(backend, tap), t * c * m));
  release(backend, [padded, ones, dyFlat, ...taps]);
  return fromValues(backend, [kh, kw, c, m], dwValues);
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
