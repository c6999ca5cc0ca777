import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@selfsup/runtime';

/**
 * What happens to the buffers (`state()` entries that are not `parameters()`,
 * i.e. BatchNorm running statistics):
 * - `keep` (default): leave them; the target's own training-mode forward passes
 *   update them. This is BYOL's reference code, where BN statistics live in the
 *   haiku `state` that each network's `apply` updates and only `params` are
 *   averaged (`byol_experiment.py`, `_update_fn`), and solo-learn's
 *   `MomentumUpdater` / lightly's `update_momentum`, which average `parameters()` only.
 * - `copy`: overwrite them with the online network's (for a target that only runs in eval mode).
 * - `ema`: average them like parameters (non-float buffers are copied).
 */
export type BufferPolicy = 'keep' | 'copy' | 'ema';

export interface EmaUpdateOptions {
  buffers?: BufferPolicy;
}

const POLICIES: readonly BufferPolicy[] = ['keep', 'copy', 'ema'];

function buffersOf(module: Module): Map<string, tf.Variable> {
  const params = module.parameters();
  return new Map([...module.state()].filter(([name]) => !params.has(name)));
}

/** Every name and shape disagreement between two maps, so one error lists them all. */
function mismatches(kind: string, target: Map<string, tf.Variable>, online: Map<string, tf.Variable>): string[] {
  const problems: string[] = [];
  for (const [name, t] of target) {
    const o = online.get(name);
    if (o === undefined) problems.push(`${kind} ${name} is in target but not in online`);
    else if (!tf.util.arraysEqual(t.shape, o.shape)) {
      problems.push(`${kind} ${name} has shape [${t.shape}] in target but [${o.shape}] in online`);
    }
  }
  for (const name of online.keys()) {
    if (!target.has(name)) problems.push(`${kind} ${name} is in online but not in target`);
  }
  return problems;
}

/**
 * BYOL's target update `target ← τ·target + (1 − τ)·online` over every
 * parameter, in place (`Variable.assign`) and without leaking tensors.
 * Parameters are matched by name; any missing name or shape mismatch is an error
 * listing all of them. Buffers follow `options.buffers` (see {@link BufferPolicy}).
 */
export function emaUpdate(target: Module, online: Module, tau: number, options: EmaUpdateOptions = {}): void {
  if (typeof tau !== 'number' || !(tau >= 0 && tau <= 1)) {
    throw new Error(`emaUpdate: tau must be a number in [0, 1], got ${String(tau)}`);
  }
  const policy = options.buffers ?? 'keep';
  if (!POLICIES.includes(policy)) {
    throw new Error(
      `emaUpdate: options.buffers must be 'keep', 'copy' or 'ema', got ${JSON.stringify(options.buffers)}`,
    );
  }
  if (target === online)
    throw new Error('emaUpdate: target and online are the same module; pass online.clone() as target');
  const targetParams = target.parameters();
  const onlineParams = online.parameters();
  const problems = mismatches('parameter', targetParams, onlineParams);
  const targetBuffers = policy === 'keep' ? new Map<string, tf.Variable>() : buffersOf(target);
  const onlineBuffers = policy === 'keep' ? new Map<string, tf.Variable>() : buffersOf(online);
  problems.push(...mismatches('buffer', targetBuffers, onlineBuffers));
  if (problems.length > 0) {
    throw new Error(`emaUpdate: target and online do not match:\n  ${problems.join('\n  ')}`);
  }

  tf.tidy(() => {
    const average = (t: tf.Variable, o: tf.Variable) => t.assign(tf.add(tf.mul(tau, t), tf.mul(1 - tau, o)));
    for (const [name, t] of targetParams) average(t, onlineParams.get(name)!);
    for (const [name, t] of targetBuffers) {
      const o = onlineBuffers.get(name)!;
      if (policy === 'ema' && t.dtype === 'float32') average(t, o);
      else t.assign(o);
    }
  });
}
