import * as tf from '@tensorflow/tfjs-core';

/**
 * Where a tensor's axes go between our tfjs layout and PyTorch's: conv kernels
 * `[kh, kw, in, out]` <-> `[out, in, kh, kw]`, linear kernels `[in, out]` <-> `[out, in]`;
 * everything else (BN vectors, biases) is the same in both.
 */
const TO_TORCH: Record<number, number[]> = { 4: [3, 2, 0, 1], 2: [1, 0] };
const FROM_TORCH: Record<number, number[]> = { 4: [2, 3, 1, 0], 2: [1, 0] };

/** The shape a tensor of tfjs shape `shape` has in a PyTorch state_dict. */
export function torchShape(shape: readonly number[]): number[] {
  const perm = TO_TORCH[shape.length];
  return perm ? perm.map((axis) => shape[axis]) : [...shape];
}

/** A tfjs-layout tensor in PyTorch layout (a new tensor). */
export function toTorchLayout(x: tf.Tensor): tf.Tensor {
  const perm = TO_TORCH[x.rank];
  return perm ? tf.transpose(x, perm) : tf.clone(x);
}

/** A PyTorch-layout tensor in tfjs layout (a new tensor). */
export function fromTorchLayout(x: tf.Tensor): tf.Tensor {
  const perm = FROM_TORCH[x.rank];
  return perm ? tf.transpose(x, perm) : tf.clone(x);
}
