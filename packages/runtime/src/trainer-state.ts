import * as tf from '@tensorflow/tfjs-core';
import type { Module } from './module';
import { createRng, type Rng, type RngState } from './rng';
import type { RawTensor } from './safetensors';
import { toTfTensor } from './safetensors-tf';

/**
 * Everything that decides what a trainer (BYOL, SimCLR, ...) does next, as named
 * tensors plus string metadata (the shape of a safetensors file): module states,
 * optimizer slots, the augmentation RNG and the step count.
 */
export interface TrainerState {
  tensors: Map<string, tf.Tensor>;
  metadata: Record<string, string>;
}

/** What a trainer exposes so its state can be saved and restored. */
export interface StatefulParts {
  /** Modules by prefix (`online.encoder`, `target.projector`, ...). */
  modules: Record<string, Module>;
  optimizer: tf.Optimizer;
  rng: Rng;
}

/** The default `format` tag of a state; a trainer passes its own so one method's checkpoint never loads into another. */
export const TRAINER_STATE_FORMAT = 'selfsup-trainer/1';
const OPTIMIZER_PREFIX = 'optimizer/';

// tfjs names optimizer slots after the *global* variable name (`<var>/momentum`),
// and variable names carry a per-instance scope, so a checkpoint stores slots under
// the module-qualified name and maps them back onto the new trainer's variables.
function variableNames(parts: StatefulParts): Map<string, string> {
  const byVariable = new Map<string, string>();
  for (const [prefix, module] of Object.entries(parts.modules)) {
    for (const [name, v] of module.state()) byVariable.set(v.name, `${prefix}.${name}`);
  }
  return byVariable;
}

function renameSlot(slot: string, from: Map<string, string>): string {
  const cut = slot.lastIndexOf('/');
  const owner = cut < 0 ? undefined : from.get(slot.slice(0, cut));
  return owner === undefined ? slot : owner + slot.slice(cut);
}

/** Snapshot the state (tensors are clones: the caller disposes them; variables may change afterwards). */
export async function captureState(
  parts: StatefulParts,
  step: number,
  format: string = TRAINER_STATE_FORMAT,
): Promise<TrainerState> {
  const tensors = new Map<string, tf.Tensor>();
  for (const [prefix, module] of Object.entries(parts.modules)) {
    for (const [name, v] of module.state()) tensors.set(`${prefix}.${name}`, tf.clone(v));
  }
  const toQualified = variableNames(parts);
  const slots: string[] = [];
  for (const { name, tensor } of await parts.optimizer.getWeights()) {
    const qualified = renameSlot(name, toQualified);
    slots.push(qualified);
    // Slot variables belong to the optimizer (clone them); other tensors (`iter`) are fresh and ours.
    tensors.set(OPTIMIZER_PREFIX + qualified, tensor instanceof tf.Variable ? tf.clone(tensor) : tensor);
  }
  const metadata = {
    format,
    step: String(step),
    rng: JSON.stringify(parts.rng.getState()),
    optimizer: JSON.stringify(slots),
  };
  return { tensors, metadata };
}

function parseJson(text: string | undefined, field: string): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    throw new Error(`trainer state: metadata.${field} is not JSON: ${JSON.stringify(text)}`);
  }
}

function expectShape(name: string, got: number[], want: readonly number[]): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new Error(`trainer state: tensor '${name}' has shape [${got}], expected [${want}]`);
  }
}

/**
 * Restore a state from `captureState` (or read from a checkpoint file) into
 * `parts`; returns the step count. Every module variable must be present with
 * the same shape: a checkpoint of another architecture is an error.
 */
export async function restoreState(
  parts: StatefulParts,
  tensors: Map<string, tf.Tensor | RawTensor>,
  metadata: Record<string, string>,
  format: string = TRAINER_STATE_FORMAT,
): Promise<number> {
  if (metadata.format !== format) {
    throw new Error(`trainer state: metadata.format is ${JSON.stringify(metadata.format)}, expected '${format}'`);
  }
  // Every metadata field is checked before anything is assigned: a bad checkpoint leaves the trainer as it was.
  const step = Number(metadata.step);
  if (!Number.isInteger(step) || step < 0)
    throw new Error(`trainer state: metadata.step must be a non-negative integer, got ${metadata.step}`);
  const slots = parseJson(metadata.optimizer ?? '[]', 'optimizer') as string[];
  if (!Array.isArray(slots) || !slots.every((s) => typeof s === 'string'))
    throw new Error(`trainer state: metadata.optimizer must be a JSON list of slot names, got ${metadata.optimizer}`);
  const rngState = parseJson(metadata.rng, 'rng') as RngState;
  createRng(0).setState(rngState); // throws on a malformed state, before the real one is touched
  const stored = (name: string) => {
    const t = tensors.get(name);
    if (t === undefined) throw new Error(`trainer state: tensor '${name}' is missing`);
    return t;
  };
  for (const [prefix, module] of Object.entries(parts.modules)) {
    for (const [name, v] of module.state())
      expectShape(`${prefix}.${name}`, stored(`${prefix}.${name}`).shape, v.shape);
  }
  for (const slot of slots) stored(OPTIMIZER_PREFIX + slot);
  const asTensor = (name: string): tf.Tensor => {
    const t = tensors.get(name);
    if (t === undefined) throw new Error(`trainer state: tensor '${name}' is missing`);
    return t instanceof tf.Tensor ? t : toTfTensor(t, name);
  };
  for (const [prefix, module] of Object.entries(parts.modules)) {
    for (const [name, v] of module.state()) {
      const qualified = `${prefix}.${name}`;
      const value = asTensor(qualified);
      expectShape(qualified, value.shape, v.shape);
      v.assign(value);
      if (value !== tensors.get(qualified)) value.dispose();
    }
  }
  const toVariable = new Map([...variableNames(parts)].map(([variable, qualified]) => [qualified, variable]));
  // setWeights takes ownership (it turns the tensors into its slot variables), so hand it fresh ones.
  const weights = slots.map((qualified) => {
    const stored = asTensor(OPTIMIZER_PREFIX + qualified);
    const tensor = stored === tensors.get(OPTIMIZER_PREFIX + qualified) ? tf.clone(stored) : stored;
    return { name: renameSlot(qualified, toVariable), tensor };
  });
  await parts.optimizer.setWeights(weights);
  weights.forEach((w) => w.tensor.dispose());
  parts.rng.setState(rngState);
  return step;
}
