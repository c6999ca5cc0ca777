import { readSafetensors, writeSafetensors } from '@selfsup/runtime/node';
import type { Byol } from './byol';

/**
 * Write the whole trainer state to one safetensors file, atomically (temp file +
 * rename), so an interruption mid-write keeps the previous checkpoint intact.
 * `extra` goes into the metadata (e.g. the run identity) as JSON strings.
 */
export async function writeCheckpoint(
  path: string,
  byol: Pick<Byol, 'getState'>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const state = await byol.getState();
  try {
    const metadata = { ...state.metadata };
    for (const [key, value] of Object.entries(extra)) metadata[key] = JSON.stringify(value);
    await writeSafetensors(path, state.tensors, metadata);
  } finally {
    state.tensors.forEach((t) => t.dispose());
  }
}

/** Load a checkpoint into a trainer (weights, optimizer, RNG, step count); returns its metadata. */
export async function readCheckpoint(path: string, byol: Pick<Byol, 'setState'>): Promise<Record<string, string>> {
  const { tensors, metadata } = await readSafetensors(path);
  try {
    await byol.setState(tensors, metadata);
  } catch (err) {
    throw new Error(`checkpoint ${path}: ${(err as Error).message}`);
  }
  return metadata;
}
