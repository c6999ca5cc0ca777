import type * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInteger, checkSeed, createRng, type Head, StoreModule, VariableStore } from '@selfsup/runtime';
import { checkFeatures } from './check-features';
import { Linear } from './linear';

/** A linear classifier (logits) named as a bare torch nn.Linear: `weight` (stored `[in, classes]`), `bias`. */
export class LinearHead extends StoreModule implements Head {
  private readonly linear: Linear;

  constructor(
    readonly inputDim: number,
    readonly outputDim: number,
    readonly seed: number,
    store?: VariableStore,
  ) {
    super(store ?? new VariableStore('linear_head'));
    this.linear = new Linear(this.store, '', inputDim, outputDim, createRng(seed));
  }

  /** Logits `[N, classes]`; `training` changes nothing (no BatchNorm or dropout). */
  apply(x: tf.Tensor2D, _options: { training?: boolean } = {}): tf.Tensor2D {
    checkFeatures('linearHead.apply', x, this.inputDim);
    return this.linear.apply(x);
  }

  clone(): LinearHead {
    return new LinearHead(this.inputDim, this.outputDim, this.seed, this.store.copy('linear_head'));
  }
}

/** A linear classifier `inputDim -> classes`, initialised as torch's nn.Linear. */
export function linearHead(inputDim: number, classes: number, { seed = 0 }: { seed?: number } = {}): LinearHead {
  checkPositiveInteger('linearHead', 'inputDim', inputDim);
  checkPositiveInteger('linearHead', 'classes', classes);
  checkSeed('linearHead', seed);
  return new LinearHead(inputDim, classes, seed);
}
