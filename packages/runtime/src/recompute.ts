/**
 * Activation recomputation (gradient checkpointing): `f(x)` whose intermediate
 * tensors are not kept for backprop but computed again inside it.
 *
 * A tfjs tape keeps every tensor a gradient needs until backprop ends (for a
 * ResNet-50 step at 224 px, ~0.3 GiB per image on wasm). Wrapped here, the
 * forward keeps only `x`; backprop re-runs `f` under a fresh tape, takes its
 * gradients for `x` and `variables`, and drops them all before the next wrapped
 * part: the memory of one part instead of the whole network, for one extra
 * forward of `f`.
 */
import * as tf from '@tensorflow/tfjs-core';

let recomputing = 0;

/**
 * True while `recompute` re-runs a function inside backprop. Side effects of a
 * forward pass (e.g. moving BatchNorm running statistics) check it so that they
 * happen once per step, not twice.
 */
export function isRecomputing(): boolean {
  return recomputing > 0;
}

export interface RecomputeOptions {
  /**
   * Dispose the gradient arriving at f's output once f's backprop has used it
   * (tfjs otherwise keeps every intermediate gradient until backprop ends). Only
   * for an f whose output is not the value being differentiated itself, whose `dy`
   * may be the caller's tensor.
   */
  releaseOutputGradient?: boolean;
}

/**
 * `f(x)`, differentiable in `x` and in `variables` (list every variable `f` reads
 * that may be differentiated), with f's intermediates recomputed in backprop
 * instead of kept. `f` must be deterministic (same ops, same values on a second
 * run) and have side effects only under `!isRecomputing()`.
 */
export function recompute<T extends tf.Tensor>(
  f: (x: T) => T,
  x: T,
  variables: readonly tf.Variable[] = [],
  { releaseOutputGradient = false }: RecomputeOptions = {},
): T {
  // Ops inside a custom gradient's forward are not taped: f's intermediates die with it.
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as T;
    (args[args.length - 1] as tf.GradSaveFunc)([input]);
    return {
      value: f(input),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const grads = recomputedGradients(f, saved[0] as T, [...variables], dy);
        // The kept input is needed by no other node: free it now, not when backprop ends.
        saved[0].dispose();
        if (releaseOutputGradient) dy.dispose();
        return grads;
      },
    };
  });
  return run(x, ...variables) as T;
}

function recomputedGradients<T extends tf.Tensor>(
  f: (x: T) => T,
  x: T,
  variables: tf.Variable[],
  dy: tf.Tensor,
): tf.Tensor[] {
  const engine = tf.engine();
  // engine.gradients called from inside backprop starts a new tape in the
  // engine's one slot and clears it when done; the outer backprop still needs
  // its own (it disposes the saved tensors of its nodes at the end).
  const outerTape = engine.state.activeTape;
  recomputing++;
  try {
    const { value, grads } = engine.gradients(() => f(x), [x, ...variables], dy as T, true);
    value.dispose();
    return grads.map((g, i) => g ?? tf.zerosLike(i === 0 ? x : variables[i - 1]));
  } finally {
    recomputing--;
    engine.state.activeTape = outerTape;
  }
}
