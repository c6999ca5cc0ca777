/**
 * Conv2DBackpropInput for wasm: the wasm backend's own kernel is a scalar loop
 * about 20x slower than its forward convolution; this one runs the forward
 * convolution (conv2d.ts: Winograd or XNNPACK) once per stride phase (see
 * input-gradient.ts).
 */
import type { Conv2DBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { assertChannelsLast, convGeometry } from './conv-geometry';
import { inputGradientByPhases, phasePadding, type AxisPhase } from './input-gradient';
import { conv2d } from './conv2d';
import { convKernels } from './conv-kernels';
import { addressOf, release, type WasmBackend } from './wasm-ops';

/** The flipped sub-filter of one phase with in/out channels exchanged: [Jh, Jw, outC, inC], each tap transposed natively. */
function phaseFilter(backend: WasmBackend, filter: TensorInfo, rows: AxisPhase, cols: AxisPhase): TensorInfo {
  const [, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([rows.taps.length, cols.taps.length, co, ci], 'float32');
  const [src, dst] = [addressOf(backend, filter), addressOf(backend, out)];
  let tap = 0;
  for (const th of rows.taps) {
    for (const tw of cols.taps) {
      convKernels(backend).transpose_matrix(src + 4 * (th * kw + tw) * ci * co, ci, co, dst + 4 * tap++ * ci * co);
    }
  }
  return out;
}

function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const {
    inputs: { dy, filter },
    backend,
    attrs,
  } = args;
  assertChannelsLast('Conv2DBackpropInput', attrs.dataFormat);
  const dxShape = attrs.inputShape as [number, number, number, number];
  const g = convGeometry(
    dxShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
  );
  return inputGradientByPhases(backend, dy, dxShape, g, (dyPart, rows, cols) => {
    const phaseW = phaseFilter(backend, filter, rows, cols);
    const out = conv2d(
      backend,
      dyPart,
      phaseW,
      {
        strides: [1, 1],
        dilations: [rows.dilation, cols.dilation],
        pad: phasePadding(rows, cols),
        dataFormat: 'NHWC',
      },
      { f4: true },
    );
    release(backend, [phaseW]);
    return out;
  });
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelConfig['kernelFunc'],
};
