/**
 * The geometry of a 2-D convolution the gradient kernels need, resolved once
 * from tfjs's own `computeConv2DInfo` so 'same', 'valid', explicit pads and
 * rounding modes mean exactly what they mean in the forward op.
 */
import { backend_util, type Conv2DAttrs } from '@tensorflow/tfjs-core';

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strides: [number, number];
  dilations: [number, number];
  /** Zeros added above and left of the input by the forward convolution. */
  padTop: number;
  padLeft: number;
}

type Pad = Conv2DAttrs['pad'];

export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise);
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** a mod n in [0, n), also for negative a: the stride phase of a (possibly padded) index. */
export const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** `dataFormat` other than NHWC is not supported by the wasm convolutions. */
export function assertChannelsLast(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} on wasm: dataFormat must be 'NHWC', got ${JSON.stringify(dataFormat)}`);
  }
}
