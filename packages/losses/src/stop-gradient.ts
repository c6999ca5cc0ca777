import * as tf from '@tensorflow/tfjs-core';

// tfjs-core has no stop_gradient op; a custom gradient that returns zeros is the
// same thing for autodiff (the value passes through, nothing flows back).
const stop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * `x` unchanged in the forward pass, zero gradient in the backward pass
 * (`jax.lax.stop_gradient` / `tensor.detach()`). Used for BYOL's and SimSiam's targets.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  if (!(x instanceof tf.Tensor)) {
    throw new TypeError(`stopGradient: x must be a tf.Tensor, got ${x === undefined ? 'undefined' : typeof x}`);
  }
  return stop(x) as T;
}
