import * as tf from '@tensorflow/tfjs-core';
import type { Rng, VariableStore } from '@selfsup/runtime';
import { kaimingNormal } from './init';

export interface Conv2dSpec {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
}

/**
 * A bias-free convolution (every conv in a ResNet is followed by BatchNorm) with
 * torch's symmetric zero padding `kernel // 2`; tfjs's 'same' would pad stride-2
 * convs asymmetrically and shift every feature map against PyTorch's.
 * The weight `<name>.weight` is stored `[kh, kw, in, out]`.
 */
export class Conv2d {
  readonly weight: tf.Variable;
  readonly stride: number;
  readonly pad: number;

  constructor(store: VariableStore, name: string, spec: Conv2dSpec, rng: Rng) {
    const { inChannels, outChannels, kernel } = spec;
    this.stride = spec.stride ?? 1;
    this.pad = Math.floor(kernel / 2);
    const shape = [kernel, kernel, inChannels, outChannels];
    // torchvision: kaiming_normal_(mode='fan_out', nonlinearity='relu').
    const fanOut = outChannels * kernel * kernel;
    this.weight = store.variable(`${name}.weight`, shape, () =>
      kaimingNormal(rng, tf.util.sizeFromShape(shape), fanOut),
    );
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.conv2d(x, this.weight as tf.Tensor4D, this.stride, this.pad);
  }
}
