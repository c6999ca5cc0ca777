import type * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '@selfsup/runtime';
import { BN_EPS } from './batch-norm';
import { emitEncoder, exportableChannels, type GraphEmitter, imageSides } from './encoder-graph';
import { OnnxGraph } from './onnx-graph';
import { toTorchLayout } from './torchvision-layout';

export interface EncoderToOnnxOptions {
  /** Input height and width the graph is made for (the ConvNet's pooling depends on them). */
  imageSize: number | [number, number];
  /** `'NCHW'` (default, as torchvision models take) or `'NHWC'` (as our tensors are). */
  layout?: 'NCHW' | 'NHWC';
  /** Written into the model's metadata (`metadata_props`). */
  metadata?: Record<string, string>;
}

/** The input and output names of every exported graph. */
export const ONNX_INPUT = 'images';
export const ONNX_OUTPUT = 'features';
const OPSET = 13;

/** ONNX nodes, weights read from the encoder's `state()` by torchvision name in torch layout. */
class OnnxEmitter implements GraphEmitter<string> {
  readonly g = new OnnxGraph();

  constructor(private readonly state: Map<string, tf.Variable>) {}

  private constant(name: string): string {
    const v = this.state.get(name);
    if (!v) throw new Error(`encoderToOnnx: the encoder has no state tensor '${name}'`);
    const t = toTorchLayout(v);
    try {
      return this.g.constant(name, t.shape, t.dataSync() as Float32Array);
    } finally {
      t.dispose();
    }
  }

  convBn(x: string, conv: string, bn: string, stride: number): string {
    const k = this.state.get(`${conv}.weight`)?.shape[0] ?? 1;
    const p = Math.floor(k / 2);
    const y = this.g.op('Conv', [x, this.constant(`${conv}.weight`)], {
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [p, p, p, p],
    });
    const params = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => this.constant(`${bn}.${s}`));
    return this.g.op('BatchNormalization', [y, ...params], { epsilon: { float: BN_EPS } });
  }

  normalize(x: string, mean: number[], std: number[]): string {
    const c = mean.length;
    const m = this.g.constant('input_mean', [1, c, 1, 1], Float32Array.from(mean));
    const s = this.g.constant('input_std', [1, c, 1, 1], Float32Array.from(std));
    return this.g.op('Div', [this.g.op('Sub', [x, m]), s]);
  }

  relu(x: string): string {
    return this.g.op('Relu', [x]);
  }

  add(a: string, b: string): string {
    return this.g.op('Add', [a, b]);
  }

  maxPool(x: string, size: number, stride: number, pad: number): string {
    return this.g.op('MaxPool', [x], {
      kernel_shape: [size, size],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
    });
  }

  globalAveragePool(x: string): string {
    return this.g.op('Flatten', [this.g.op('GlobalAveragePool', [x])], { axis: 1 }, ONNX_OUTPUT);
  }
}

/**
 * An ONNX model (opset 13) of a ResNet or ConvNet encoder in eval mode: input
 * `images` float32 `[N, 3, H, W]` in [0, 1] (or `[N, H, W, 3]` with `layout: 'NHWC'`),
 * output `features` `[N, outputDim]`, the same features as `encoder.apply` (an encoder's
 * input standardisation, `withInputNormalization`, is part of the graph).
 */
export function encoderToOnnx(encoder: Encoder, options: EncoderToOnnxOptions): Uint8Array {
  const [h, w] = imageSides(options.imageSize, 'encoderToOnnx');
  const layout = options.layout ?? 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') {
    throw new Error(`encoderToOnnx: options.layout must be 'NCHW' or 'NHWC', got ${JSON.stringify(layout)}`);
  }
  const channels = exportableChannels(encoder, 'encoderToOnnx');
  const e = new OnnxEmitter(encoder.state());
  const x = layout === 'NHWC' ? e.g.op('Transpose', [ONNX_INPUT], { perm: [0, 3, 1, 2] }) : ONNX_INPUT;
  emitEncoder(encoder, e, x, [h, w]);
  return e.g.serialize({
    input: { name: ONNX_INPUT, dims: layout === 'NCHW' ? ['N', channels, h, w] : ['N', h, w, channels] },
    output: { name: ONNX_OUTPUT, dims: ['N', encoder.outputDim] },
    opset: OPSET,
    producer: '@selfsup/backbones',
    metadata: { layout, ...options.metadata },
  });
}
