import { readSafetensors, writeSafetensors } from '@selfsup/runtime/node';
import { captureState, restoreState, type StatefulParts } from './trainer-state';

/**
 * Write the whole trainer state to one safetensors file, atomically (temp file +
 * rename), so an interruption mid-write keeps the previous checkpoint intact.
 * `extra` goes into the metadata (e.g. the run config) as JSON strings.
 */
export async function writeCheckpoint(
  path: string,
  parts: StatefulParts,
  step: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const state = await captureState(parts, step);
  try {
    const metadata = { ...state.metadata };
    for (const [key, value] of Object.entries(extra)) metadata[key] = JSON.stringify(value);
    await writeSafetensors(path, state.tensors, metadata);
  } finally {
    state.tensors.forEach((t) => t.dispose());
  }
}

/** Load a checkpoint into `parts`; returns the step it was taken at and its metadata. */
export async function readCheckpoint(
  path: string,
  parts: StatefulParts,
): Promise<{ step: number; metadata: Record<string, string> }> {
  const { tensors, metadata } = await readSafetensors(path);
  try {
    return { step: await restoreState(parts, tensors, metadata), metadata };
  } catch (err) {
    throw new Error(`checkpoint ${path}: ${(err as Error).message}`);
  }
}
