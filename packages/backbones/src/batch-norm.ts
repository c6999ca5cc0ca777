import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining, isRecomputing, scaleShift, type VariableStore } from '@selfsup/runtime';
import { constant } from './init';

/** torch's defaults (nn.BatchNorm1d/2d): running = (1 - momentum) * running + momentum * batch. */
export const BN_MOMENTUM = 0.1;
export const BN_EPS = 1e-5;

/** Per-channel statistics and affine parameters, broadcast over the last (channel) axis. */
export interface BatchNormParams {
  mean: tf.Tensor;
  variance: tf.Tensor;
  weight: tf.Tensor;
  bias: tf.Tensor;
}

/**
 * `(x - mean) / sqrt(variance + eps) * weight + bias` over the last axis of `x` (NHWC or `[N, C]`),
 * applied as one per-channel scale and shift (the runtime's `scaleShift`: one pass over x,
 * ~8x faster than tf.batchNorm on wasm); differentiable in x and all four parameters.
 */
export function batchNorm(x: tf.Tensor, params: BatchNormParams, eps = BN_EPS): tf.Tensor {
  return tf.tidy(() => {
    const scale = tf.mul(params.weight, tf.rsqrt(tf.add(params.variance, eps))) as tf.Tensor1D;
    return scaleShift(x, scale, tf.sub(params.bias, tf.mul(params.mean, scale)) as tf.Tensor1D);
  });
}

export interface BatchNormOptions {
  training?: boolean;
  momentum?: number;
  eps?: number;
  /** Follow with a ReLU (in training, fused into the runtime's BatchNorm kernels where the backend has them). */
  relu?: boolean;
}

/**
 * A BatchNorm layer (torch's BatchNorm2d on NHWC, BatchNorm1d on `[N, C]`) whose four
 * variables live in a `VariableStore` under `<prefix>.weight`, `.bias`, `.running_mean`,
 * `.running_var` (torchvision names; `num_batches_tracked` is not kept).
 */
export class BatchNorm {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;

  constructor(
    store: VariableStore,
    readonly prefix: string,
    readonly numFeatures: number,
  ) {
    const shape = [numFeatures];
    this.weight = store.variable(`${prefix}.weight`, shape, () => constant(numFeatures, 1));
    this.bias = store.variable(`${prefix}.bias`, shape, () => constant(numFeatures, 0));
    this.runningMean = store.variable(`${prefix}.running_mean`, shape, () => constant(numFeatures, 0), false);
    this.runningVar = store.variable(`${prefix}.running_var`, shape, () => constant(numFeatures, 1), false);
  }

  /**
   * Training mode normalises with the batch statistics (biased variance, as torch)
   * and moves the running statistics towards them (unbiased variance, as torch);
   * eval mode normalises with the running statistics.
   */
  apply<T extends tf.Tensor>(
    x: T,
    { training = false, momentum = BN_MOMENTUM, eps = BN_EPS, relu = false }: BatchNormOptions = {},
  ): T {
    this.check(x, training);
    const params = { weight: this.weight, bias: this.bias };
    if (!training) {
      return tf.tidy(() => {
        const y = batchNorm(x, { ...params, mean: this.runningMean, variance: this.runningVar }, eps);
        return relu ? tf.relu(y) : y;
      }) as T;
    }
    // One closed-form gradient instead of autodiff through tf.moments: fewer kernels, less memory.
    // A forward recomputed in backprop (`recompute`) sees the same batch: the statistics move once.
    return batchNormTraining(x, this.weight as tf.Tensor1D, this.bias as tf.Tensor1D, {
      eps,
      relu,
      onStatistics: isRecomputing()
        ? undefined
        : (mean, variance) => this.updateRunningStats(mean, variance, x.size / this.numFeatures, momentum),
    });
  }

  // The new running values are assigned, never returned, so they sit off the path
  // from the loss to the parameters: tf.variableGrads gives them no gradient, and
  // the running variables are not trainable, so they are never differentiated.
  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, count: number, momentum: number): void {
    const unbiased = tf.mul(variance, count / (count - 1));
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - momentum), tf.mul(mean, momentum)));
    this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
  }

  private check(x: tf.Tensor, training: boolean): void {
    if (x.rank !== 2 && x.rank !== 4) {
      throw new Error(`BatchNorm ${this.prefix}: x must be [N, C] or [N, H, W, C], got shape [${x.shape}]`);
    }
    if (x.shape[x.rank - 1] !== this.numFeatures) {
      throw new Error(
        `BatchNorm ${this.prefix}: x has ${x.shape[x.rank - 1]} channels (shape [${x.shape}]), expected ${this.numFeatures}`,
      );
    }
    if (training && x.size / this.numFeatures < 2) {
      throw new Error(
        `BatchNorm ${this.prefix}: training needs more than one value per channel, got x of shape [${x.shape}]`,
      );
    }
  }
}
