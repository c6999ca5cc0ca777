import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '@selfsup/backbones';
import { checkPositiveInteger, checkSeed, createRng, type Head, StoreModule, VariableStore } from '@selfsup/runtime';
import { checkFeatures } from './check-features';
import { Linear } from './linear';

export interface MlpHeadOptions {
  inputDim: number;
  /** Default 4096 (BYOL). */
  hiddenDim?: number;
  /** Default 256 (BYOL). */
  outputDim?: number;
  /** BatchNorm1d after the first Linear (BYOL: yes; default true). */
  batchNorm?: boolean;
  seed?: number;
}

/**
 * Linear -> BatchNorm1d -> ReLU -> Linear, BYOL's projector and predictor.
 * Names are those of the equivalent torch nn.Sequential: `0.weight`, `0.bias`,
 * `1.weight`, `1.bias`, `1.running_mean`, `1.running_var`, `3.weight`, `3.bias`
 * (without BatchNorm: `0.*` and `2.*`).
 */
export class MlpHead extends StoreModule implements Head {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly options: Readonly<Required<MlpHeadOptions>>;
  private readonly first: Linear;
  private readonly bn?: BatchNorm;
  private readonly second: Linear;

  constructor(options: Required<MlpHeadOptions>, store?: VariableStore) {
    super(store ?? new VariableStore('mlp_head'));
    this.options = Object.freeze({ ...options });
    const { inputDim, hiddenDim, outputDim, batchNorm, seed } = options;
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    const rng = createRng(seed);
    this.first = new Linear(this.store, '0', inputDim, hiddenDim, rng);
    if (batchNorm) this.bn = new BatchNorm(this.store, '1', hiddenDim);
    this.second = new Linear(this.store, batchNorm ? '3' : '2', hiddenDim, outputDim, rng);
  }

  apply(x: tf.Tensor2D, { training = false }: { training?: boolean } = {}): tf.Tensor2D {
    checkFeatures('mlpHead.apply', x, this.inputDim);
    return tf.tidy(() => {
      let h = this.first.apply(x);
      if (this.bn) h = this.bn.apply(h, { training });
      return this.second.apply(tf.relu(h));
    });
  }

  clone(): MlpHead {
    return new MlpHead(this.options, this.store.copy('mlp_head'));
  }
}

/** An MLP head (Linear -> BN -> ReLU -> Linear) with BYOL's sizes by default. */
export function mlpHead(options: MlpHeadOptions): MlpHead {
  if (options == null || typeof options !== 'object') {
    throw new Error(`mlpHead: options must be an object with inputDim, got ${String(options)}`);
  }
  const { inputDim, hiddenDim = 4096, outputDim = 256, batchNorm = true, seed = 0 } = options;
  checkPositiveInteger('mlpHead', 'options.inputDim', inputDim);
  checkPositiveInteger('mlpHead', 'options.hiddenDim', hiddenDim);
  checkPositiveInteger('mlpHead', 'options.outputDim', outputDim);
  checkSeed('mlpHead', seed);
  if (typeof batchNorm !== 'boolean')
    throw new Error(`mlpHead: options.batchNorm must be a boolean, got ${String(batchNorm)}`);
  return new MlpHead({ inputDim, hiddenDim, outputDim, batchNorm, seed });
}
