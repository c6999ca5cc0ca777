import type * as tf from '@tensorflow/tfjs-core';
import {
  captureState as captureAnyState,
  restoreState as restoreAnyState,
  type RawTensor,
  type StatefulParts,
  type TrainerState,
} from '@selfsup/runtime';

export type { StatefulParts, TrainerState } from '@selfsup/runtime';

/** BYOL checkpoints keep their own format tag (the generic state lives in `@selfsup/runtime`). */
export const STATE_FORMAT = 'selfsup-byol-trainer/1';

/** Snapshot a BYOL trainer's state (see `@selfsup/runtime`'s `captureState`). */
export function captureState(parts: StatefulParts, step: number): Promise<TrainerState> {
  return captureAnyState(parts, step, STATE_FORMAT);
}

/** Restore a BYOL trainer's state; returns the step count (see `@selfsup/runtime`'s `restoreState`). */
export function restoreState(
  parts: StatefulParts,
  tensors: Map<string, tf.Tensor | RawTensor>,
  metadata: Record<string, string>,
): Promise<number> {
  return restoreAnyState(parts, tensors, metadata, STATE_FORMAT);
}
