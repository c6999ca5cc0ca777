import * as tf from '@tensorflow/tfjs-core';
import { kaimingUniform } from '@selfsup/backbones';
import type { Rng, VariableStore } from '@selfsup/runtime';

/**
 * A fully connected layer named as torch's nn.Linear (`<name>.weight`, `<name>.bias`),
 * kernel stored `[in, out]` (torch stores `[out, in]`). Init as torch: weight
 * kaiming_uniform(a = sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)), bias from the same range.
 */
export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: VariableStore, name: string, inDim: number, outDim: number, rng: Rng) {
    const key = (p: string) => (name ? `${name}.${p}` : p);
    this.weight = store.variable(key('weight'), [inDim, outDim], () => kaimingUniform(rng, inDim * outDim, inDim));
    this.bias = store.variable(key('bias'), [outDim], () => kaimingUniform(rng, outDim, inDim));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(x, this.weight as tf.Tensor2D), this.bias));
  }
}
