/**
 * DepthwiseConv2dNativeBackpropInput for wasm (the backend has none): per
 * stride phase, one forward depthwise convolution of dy with the flipped
 * sub-filter (see input-gradient.ts); a channel multiplier m > 1 sums the m
 * outputs that came from each input channel.
 */
import type { DepthwiseConv2dNativeBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry } from './conv-geometry';
import { inputGradientByPhases, phasePadding, type AxisPhase } from './input-gradient';
import { fromValues, heapF32, release, reshape, runWasm, type WasmBackend } from './wasm-ops';

/** The flipped sub-filter of one phase as a multiplier-1 depthwise filter over dy's C·m channels. */
function phaseFilter(w: Float32Array, shape: number[], rows: AxisPhase, cols: AxisPhase): Float32Array {
  const [, kw, c, m] = shape;
  const tapSize = c * m;
  const out = new Float32Array(rows.taps.length * cols.taps.length * tapSize);
  let o = 0;
  for (const th of rows.taps) {
    for (const tw of cols.taps) {
      const base = (th * kw + tw) * tapSize;
      out.set(w.subarray(base, base + tapSize), o);
      o += tapSize;
    }
  }
  return out;
}

function depthwiseBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackend;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const {
    inputs: { dy, filter },
    backend,
    attrs,
  } = args;
  const dxShape = attrs.inputShape as [number, number, number, number];
  const [, , c, m] = filter.shape;
  const g = convGeometry(
    dxShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return inputGradientByPhases(backend, dy, dxShape, g, (dyPart, rows, cols) => {
    const w = phaseFilter(heapF32(backend, filter), filter.shape, rows, cols);
    const phaseW = fromValues(backend, [rows.taps.length, cols.taps.length, c * m, 1], w);
    const perOutput = runWasm(
      backend,
      'DepthwiseConv2dNative',
      { x: dyPart, filter: phaseW },
      {
        strides: [1, 1],
        dilations: [rows.dilation, cols.dilation],
        pad: phasePadding(rows, cols),
      },
    );
    release(backend, [phaseW]);
    if (m === 1) return perOutput;
    const [n, h, wd] = perOutput.shape;
    const split = reshape(backend, perOutput, [n, h, wd, c, m]);
    const summed = runWasm(backend, 'Sum', { x: split }, { axis: [4], keepDims: false });
    release(backend, [perOutput, split]);
    return summed;
  });
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelConfig['kernelFunc'],
};
