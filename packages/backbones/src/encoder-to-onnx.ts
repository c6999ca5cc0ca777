import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '@selfsup/runtime';
import { BN_EPS } from './batch-norm';
import { ConvNet } from './convnet';
import { OnnxGraph } from './onnx-graph';
import { ResNet } from './resnet';
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

/** The graph of one encoder: weights read from its `state()` by torchvision name. */
class EncoderGraph {
  readonly g = new OnnxGraph();

  constructor(private readonly state: Map<string, tf.Variable>) {}

  private tensor(name: string): { dims: number[]; data: Float32Array } {
    const v = this.state.get(name);
    if (!v) throw new Error(`encoderToOnnx: the encoder has no state tensor '${name}'`);
    const t = toTorchLayout(v);
    try {
      return { dims: t.shape, data: t.dataSync() as Float32Array };
    } finally {
      t.dispose();
    }
  }

  has(name: string): boolean {
    return this.state.has(name);
  }

  /** torch's Conv2d(bias=False, padding=k // 2) then BatchNorm2d in eval mode. */
  convBn(x: string, conv: string, bn: string, stride: number): string {
    const w = this.tensor(`${conv}.weight`);
    const k = w.dims[2];
    const p = Math.floor(k / 2);
    const y = this.g.op('Conv', [x, this.g.constant(`${conv}.weight`, w.dims, w.data)], {
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [p, p, p, p],
    });
    const params = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => {
      const t = this.tensor(`${bn}.${s}`);
      return this.g.constant(`${bn}.${s}`, t.dims, t.data);
    });
    return this.g.op('BatchNormalization', [y, ...params], { epsilon: { float: BN_EPS } });
  }

  relu(x: string): string {
    return this.g.op('Relu', [x]);
  }
}

function resnetGraph(net: ResNet, eg: EncoderGraph, x: string): string {
  const { stem, block, layers } = net.config;
  let y = eg.relu(eg.convBn(x, 'conv1', 'bn1', stem === 'imagenet' ? 2 : 1));
  // Inputs of the pool are >= 0 after ReLU, so its implicit padding never wins, as in torch.
  if (stem === 'imagenet') y = eg.g.op('MaxPool', [y], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  const convs = block === 'basic' ? 2 : 3;
  const strided = block === 'basic' ? 1 : 2; // ResNet v1.5: the stride is on the 3x3 conv
  layers.forEach((count, stage) => {
    for (let i = 0; i < count; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      const prefix = `layer${stage + 1}.${i}`;
      let z = y;
      for (let c = 1; c <= convs; c++) {
        z = eg.convBn(z, `${prefix}.conv${c}`, `${prefix}.bn${c}`, c === strided ? stride : 1);
        if (c < convs) z = eg.relu(z);
      }
      const identity = eg.has(`${prefix}.downsample.0.weight`)
        ? eg.convBn(y, `${prefix}.downsample.0`, `${prefix}.downsample.1`, stride)
        : y;
      y = eg.relu(eg.g.op('Add', [z, identity]));
    }
  });
  return y;
}

function convnetGraph(net: ConvNet, eg: EncoderGraph, x: string, [h, w]: [number, number]): string {
  let y = x;
  net.options.widths.forEach((_, i) => {
    y = eg.relu(eg.convBn(y, `stages.${i}.conv`, `stages.${i}.bn`, 1));
    // The same rule as ConvNet.apply: halve while both sides allow.
    if (h >= 2 && w >= 2) {
      y = eg.g.op('MaxPool', [y], { kernel_shape: [2, 2], strides: [2, 2] });
      [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    }
  });
  return y;
}

/**
 * An ONNX model (opset 13) of a ResNet or ConvNet encoder in eval mode: input
 * `images` float32 `[N, 3, H, W]` in [0, 1] (or `[N, H, W, 3]` with `layout: 'NHWC'`),
 * output `features` `[N, outputDim]`, the same features as `encoder.apply`.
 */
export function encoderToOnnx(encoder: Encoder, options: EncoderToOnnxOptions): Uint8Array {
  const [h, w] = typeof options.imageSize === 'number' ? [options.imageSize, options.imageSize] : options.imageSize;
  if (![h, w].every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`encoderToOnnx: options.imageSize must be a positive integer or [h, w], got ${options.imageSize}`);
  }
  const layout = options.layout ?? 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') {
    throw new Error(`encoderToOnnx: options.layout must be 'NCHW' or 'NHWC', got ${JSON.stringify(layout)}`);
  }
  const channels =
    encoder instanceof ResNet ? encoder.config.inputChannels : (encoder as ConvNet).options?.inputChannels;
  const eg = new EncoderGraph(encoder.state());
  const x = layout === 'NHWC' ? eg.g.op('Transpose', [ONNX_INPUT], { perm: [0, 3, 1, 2] }) : ONNX_INPUT;
  let y: string;
  if (encoder instanceof ResNet) y = resnetGraph(encoder, eg, x);
  else if (encoder instanceof ConvNet) y = convnetGraph(encoder, eg, x, [h, w]);
  else {
    throw new Error(
      `encoderToOnnx: only the ResNet and ConvNet encoders of @selfsup/backbones can be exported, got ${encoder?.constructor?.name}`,
    );
  }
  eg.g.op('Flatten', [eg.g.op('GlobalAveragePool', [y])], { axis: 1 }, ONNX_OUTPUT);
  return eg.g.serialize({
    input: { name: ONNX_INPUT, dims: layout === 'NCHW' ? ['N', channels, h, w] : ['N', h, w, channels] },
    output: { name: ONNX_OUTPUT, dims: ['N', encoder.outputDim] },
    opset: OPSET,
    producer: '@selfsup/backbones',
    metadata: { layout, ...options.metadata },
  });
}
