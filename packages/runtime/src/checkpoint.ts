import { readSafetensors, writeSafetensors } from './safetensors-file';
import type { RawTensor } from './safetensors';
import type { TrainerState } from './trainer-state';
import type * as tf from '@tensorflow/tfjs-core';

/** A trainer whose state can be saved (BYOL's `createByol`, or `captureState` over your own parts). */
export interface SavesState {
  getState(): Promise<TrainerState>;
}

/** A trainer whose state can be restored. */
export interface LoadsState {
  setState(tensors: Map<string, tf.Tensor | RawTensor>, metadata: Record<string, string>): Promise<unknown>;
}

/**
 * Write the whole trainer state to one safetensors file, atomically (temp file +
 * rename), so an interruption mid-write keeps the previous checkpoint intact.
 * `extra` goes into the metadata (e.g. the run identity) as JSON strings.
 */
export async function writeCheckpoint(
  path: string,
  trainer: SavesState,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const state = await trainer.getState();
  try {
    const metadata = { ...state.metadata };
    for (const [key, value] of Object.entries(extra)) metadata[key] = JSON.stringify(value);
    await writeSafetensors(path, state.tensors, metadata);
  } finally {
    state.tensors.forEach((t) => t.dispose());
  }
}

/** Load a checkpoint into a trainer (weights, optimizer, RNG, step count); returns its metadata. */
export async function readCheckpoint(path: string, trainer: LoadsState): Promise<Record<string, string>> {
  const { tensors, metadata } = await readSafetensors(path);
  try {
    await trainer.setState(tensors, metadata);
  } catch (err) {
    throw new Error(`checkpoint ${path}: ${(err as Error).message}`);
  }
  return metadata;
}
