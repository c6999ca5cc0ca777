import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInteger, checkSeed, createRng, type Encoder, StoreModule, VariableStore } from '@selfsup/runtime';
import { BatchNorm } from './batch-norm';
import { checkImages } from './check-input';
import { Conv2d } from './conv2d';

export interface ConvNetOptions {
  /** Output channels of each stage (3x3 conv, BN, ReLU; a 2x2 max-pool between stages). */
  widths?: number[];
  seed?: number;
  inputChannels?: number;
}

/** Default widths: the ConvNet of `byol_reference.py` (the small-scale PyTorch BYOL we compare with). */
export const CONVNET_DEFAULT_WIDTHS: readonly number[] = Object.freeze([32, 64, 128, 256]);

/**
 * Whether stage `i` starts with a 2x2 max-pool of its `height` x `width` input: between stages
 * only, and while both sides allow (tiny inputs just stop shrinking). Shared by the forward pass
 * and the exported graphs, so both always have the same layout.
 */
export function poolsBeforeStage(i: number, height: number, width: number): boolean {
  return i > 0 && height >= 2 && width >= 2;
}

/**
 * A small VGG-style encoder for quick experiments and tests: a few cheap stages
 * then global average pooling. Names: `stages.<i>.conv.weight`, `stages.<i>.bn.*`.
 * Like PyTorch's usual layout (and `byol_reference.py`), it pools *between* stages only:
 * the last stage's map goes straight to the global average.
 */
export class ConvNet extends StoreModule implements Encoder {
  readonly outputDim: number;
  readonly options: Readonly<Required<ConvNetOptions>>;
  private readonly stages: Array<{ conv: Conv2d; bn: BatchNorm }> = [];

  constructor(options: Required<ConvNetOptions>, store?: VariableStore) {
    super(store ?? new VariableStore('convnet'));
    this.options = Object.freeze({ ...options, widths: [...options.widths] });
    const rng = createRng(options.seed);
    let channels = options.inputChannels;
    options.widths.forEach((width, i) => {
      const conv = new Conv2d(
        this.store,
        `stages.${i}.conv`,
        { inChannels: channels, outChannels: width, kernel: 3 },
        rng,
      );
      this.stages.push({ conv, bn: new BatchNorm(this.store, `stages.${i}.bn`, width) });
      channels = width;
    });
    this.outputDim = channels;
  }

  apply(x: tf.Tensor4D, { training = false }: { training?: boolean } = {}): tf.Tensor2D {
    checkImages('convnet.apply', x, this.options.inputChannels);
    return tf.tidy(() => {
      let y = x;
      this.stages.forEach(({ conv, bn }, i) => {
        if (poolsBeforeStage(i, y.shape[1], y.shape[2])) y = tf.maxPool(y, 2, 2, 'valid');
        y = bn.apply(conv.apply(y), { training, relu: true });
      });
      return tf.mean(y, [1, 2]) as tf.Tensor2D;
    });
  }

  clone(): ConvNet {
    return new ConvNet(this.options, this.store.copy('convnet'));
  }
}

/** A small ConvNet encoder (default widths [32, 64, 128, 256]). */
export function convnet({
  widths = [...CONVNET_DEFAULT_WIDTHS],
  seed = 0,
  inputChannels = 3,
}: ConvNetOptions = {}): ConvNet {
  if (!Array.isArray(widths) || widths.length === 0 || !widths.every((w) => Number.isInteger(w) && w > 0)) {
    throw new Error(
      `convnet: options.widths must be a non-empty array of positive integers, got ${JSON.stringify(widths)}`,
    );
  }
  checkSeed('convnet', seed);
  checkPositiveInteger('convnet', 'options.inputChannels', inputChannels);
  return new ConvNet({ widths, seed, inputChannels });
}
