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
  /** BatchNorm1d after every hidden Linear (BYOL: yes; default true). */
  batchNorm?: boolean;
  /** Linear layers (default 2, BYOL; 3 for SimSiam, Barlow Twins and VICReg projectors). */
  layers?: number;
  /** BatchNorm1d after the output Linear too (SimSiam's projector; default false). */
  outputBatchNorm?: boolean;
  seed?: number;
}

/**
 * Linear -> BatchNorm1d -> ReLU -> Linear, BYOL's projector and predictor, or with
 * `layers` > 2 more hidden blocks (Linear -> BatchNorm1d -> ReLU) before the output Linear.
 * Names are those of the equivalent torch nn.Sequential: `0.weight`, `0.bias`,
 * `1.weight`, `1.bias`, `1.running_mean`, `1.running_var`, `3.weight`, `3.bias`
 * (without BatchNorm: `0.*` and `2.*`; with 3 layers the output Linear is `6.*`,
 * and an output BatchNorm follows it as `7.*`).
 */
export class MlpHead extends StoreModule implements Head {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly options: Readonly<Required<MlpHeadOptions>>;
  private readonly hidden: Array<{ linear: Linear; bn?: BatchNorm }> = [];
  private readonly last: Linear;
  private readonly outputBn?: BatchNorm;

  constructor(options: Required<MlpHeadOptions>, store?: VariableStore) {
    super(store ?? new VariableStore('mlp_head'));
    this.options = Object.freeze({ ...options });
    const { inputDim, hiddenDim, outputDim, batchNorm, layers, outputBatchNorm, seed } = options;
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    const rng = createRng(seed);
    // torch's nn.Sequential index of each module: a hidden block is Linear, [BN,] ReLU.
    const block = batchNorm ? 3 : 2;
    for (let i = 0; i < layers - 1; i++) {
      const linear = new Linear(this.store, String(i * block), i === 0 ? inputDim : hiddenDim, hiddenDim, rng);
      const bn = batchNorm ? new BatchNorm(this.store, String(i * block + 1), hiddenDim) : undefined;
      this.hidden.push({ linear, bn });
    }
    const lastIndex = (layers - 1) * block;
    this.last = new Linear(this.store, String(lastIndex), hiddenDim, outputDim, rng);
    if (outputBatchNorm) this.outputBn = new BatchNorm(this.store, String(lastIndex + 1), outputDim);
  }

  apply(x: tf.Tensor2D, { training = false }: { training?: boolean } = {}): tf.Tensor2D {
    checkFeatures('mlpHead.apply', x, this.inputDim);
    return tf.tidy(() => {
      let h: tf.Tensor2D = x;
      for (const { linear, bn } of this.hidden) {
        h = linear.apply(h);
        h = bn ? bn.apply(h, { training, relu: true }) : tf.relu(h);
      }
      const out = this.last.apply(h);
      return this.outputBn ? this.outputBn.apply(out, { training }) : out;
    });
  }

  clone(): MlpHead {
    return new MlpHead(this.options, this.store.copy('mlp_head'));
  }
}

/** An MLP head (Linear -> BN -> ReLU -> Linear, or `layers` Linears) with BYOL's sizes by default. */
export function mlpHead(options: MlpHeadOptions): MlpHead {
  if (options == null || typeof options !== 'object') {
    throw new Error(`mlpHead: options must be an object with inputDim, got ${String(options)}`);
  }
  const {
    inputDim,
    hiddenDim = 4096,
    outputDim = 256,
    batchNorm = true,
    layers = 2,
    outputBatchNorm = false,
    seed = 0,
  } = options;
  checkPositiveInteger('mlpHead', 'options.inputDim', inputDim);
  checkPositiveInteger('mlpHead', 'options.hiddenDim', hiddenDim);
  checkPositiveInteger('mlpHead', 'options.outputDim', outputDim);
  checkSeed('mlpHead', seed);
  if (typeof batchNorm !== 'boolean')
    throw new Error(`mlpHead: options.batchNorm must be a boolean, got ${String(batchNorm)}`);
  if (typeof outputBatchNorm !== 'boolean')
    throw new Error(`mlpHead: options.outputBatchNorm must be a boolean, got ${String(outputBatchNorm)}`);
  checkPositiveInteger('mlpHead', 'options.layers', layers);
  if (layers < 2) throw new Error(`mlpHead: options.layers must be at least 2 (use linearHead for one), got ${layers}`);
  return new MlpHead({ inputDim, hiddenDim, outputDim, batchNorm, layers, outputBatchNorm, seed });
}
