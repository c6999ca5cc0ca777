import * as tf from '@tensorflow/tfjs-core';
import type { Rng, VariableStore } from '@selfsup/runtime';
import { BatchNorm } from './batch-norm';
import { Conv2d } from './conv2d';

/** A conv followed by its BatchNorm, named as torchvision names them (`conv1` + `bn1`, or `downsample.0` + `downsample.1`). */
class ConvBn {
  private readonly conv: Conv2d;
  private readonly bn: BatchNorm;

  constructor(
    store: VariableStore,
    convName: string,
    bnName: string,
    conv: ConstructorParameters<typeof Conv2d>[2],
    rng: Rng,
  ) {
    this.conv = new Conv2d(store, convName, conv, rng);
    this.bn = new BatchNorm(store, bnName, conv.outChannels);
  }

  apply(x: tf.Tensor4D, training: boolean, relu = false): tf.Tensor4D {
    return this.bn.apply(this.conv.apply(x), { training, relu });
  }
}

export type BlockKind = 'basic' | 'bottleneck';

/** Output channels per `planes`: 1 for BasicBlock, 4 for Bottleneck (torchvision's `expansion`). */
export const EXPANSION: Record<BlockKind, number> = { basic: 1, bottleneck: 4 };

/**
 * One residual block, torchvision's BasicBlock (3x3, 3x3) or Bottleneck (1x1, 3x3, 1x1)
 * with the stride on the 3x3 conv (ResNet v1.5), and a 1x1 conv + BN shortcut
 * (`downsample`) whenever the stride or the channel count changes.
 */
export class ResidualBlock {
  private readonly convs: ConvBn[] = [];
  private readonly downsample?: ConvBn;

  constructor(
    store: VariableStore,
    prefix: string,
    kind: BlockKind,
    inChannels: number,
    planes: number,
    stride: number,
    rng: Rng,
  ) {
    const out = planes * EXPANSION[kind];
    const specs =
      kind === 'basic'
        ? [
            { inChannels, outChannels: planes, kernel: 3, stride },
            { inChannels: planes, outChannels: planes, kernel: 3 },
          ]
        : [
            { inChannels, outChannels: planes, kernel: 1 },
            { inChannels: planes, outChannels: planes, kernel: 3, stride },
            { inChannels: planes, outChannels: out, kernel: 1 },
          ];
    specs.forEach((spec, i) =>
      this.convs.push(new ConvBn(store, `${prefix}.conv${i + 1}`, `${prefix}.bn${i + 1}`, spec, rng)),
    );
    if (stride !== 1 || inChannels !== out) {
      const spec = { inChannels, outChannels: out, kernel: 1, stride };
      this.downsample = new ConvBn(store, `${prefix}.downsample.0`, `${prefix}.downsample.1`, spec, rng);
    }
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      let y = x;
      this.convs.forEach((conv, i) => {
        y = conv.apply(y, training, i < this.convs.length - 1);
      });
      const identity = this.downsample ? this.downsample.apply(x, training) : x;
      return tf.relu(tf.add(y, identity)) as tf.Tensor4D;
    });
  }
}
