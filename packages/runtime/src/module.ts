import type * as tf from '@tensorflow/tfjs-core';

/**
 * The contract every trainable block (backbone, head) follows, so that
 * optimizers, EMA, checkpoints and trainers can treat them alike.
 * Names follow torchvision (`layer1.0.conv1.weight`, `bn1.running_mean`).
 */
export interface Module {
  /** Forward pass. `training` selects batch statistics for BatchNorm (and updates the running ones). */
  apply(x: tf.Tensor, options?: { training?: boolean }): tf.Tensor;
  /** Trainable variables by name, in a stable order. */
  parameters(): Map<string, tf.Variable>;
  /** Everything that defines the module: parameters plus buffers such as BN running statistics. */
  state(): Map<string, tf.Variable>;
  /** A deep copy with the same names (new variables). */
  clone(): Module;
  /** Free every variable. */
  dispose(): void;
}

/** A module that maps images `[N, H, W, C]` to features `[N, outputDim]`. */
export interface Encoder extends Module {
  readonly outputDim: number;
  /**
   * Per-channel standardisation `apply` performs on its [0, 1] input before the network, if any
   * (not a tensor of `state()`; caches and exporters must take it into account).
   */
  readonly inputNormalization?: { mean: number[]; std: number[] };
  apply(x: tf.Tensor4D, options?: { training?: boolean }): tf.Tensor2D;
  clone(): Encoder;
}

/** A module that maps features `[N, inputDim]` to `[N, outputDim]`. */
export interface Head extends Module {
  readonly inputDim: number;
  readonly outputDim: number;
  apply(x: tf.Tensor2D, options?: { training?: boolean }): tf.Tensor2D;
  clone(): Head;
}
