import { existsSync } from 'node:fs';
import { readSafetensorsHeader } from '@selfsup/runtime/node';
import { FLAGS, parseTrainArgs, UsageError, type TrainCliConfig } from './cli-args';
import { runTraining } from './cli';
import { runPaths } from './run-dir';
import { readRunConfig } from './run-encoder';

export const RESUME_HELP = `Usage: selfsup-byol resume <run folder> [--epochs E] [flags] [--override]

Continues a run with the settings in <run>/config.json: no flag needs retyping.
A run killed before its first checkpoint starts again from step 0.

  --epochs E     more epochs than the run was planned with extend it: the lr and tau
                 schedules are re-planned over the new length (recorded in metrics.jsonl)
  --backend, --threads, --recompute, --checkpoint-every, --monitor-every
                 may change freely (results do not depend on them, or only within float tolerance)
  other flags    a hyper-parameter that differs from config.json is an error naming it,
                 unless --override is given: then the change is recorded in config.json
                 ("overrides") and metrics.jsonl (event "override")
  data, format, split, limit, backbone, stem, width, image-size, normalize, input-mean, input-std, batch-size, seed,
  skip-bad-images, recipe, proj-hidden, proj-out, pred-hidden cannot change: that is a new run (selfsup-byol train --out <new folder>)`;

// Changing these makes another run: the checkpoint's weights, data order or shapes would not fit.
const FIXED: (keyof TrainCliConfig)[] = [
  'data',
  'format',
  'split',
  'limit',
  'backbone',
  'stem',
  'width',
  'imageSize',
  // The standardisation the weights were trained for (config.json has the resolved values).
  'normalize',
  'inputMean',
  'inputStd',
  'batchSize',
  'seed',
  'skipBadImages',
  // The recipe and head sizes decide the heads' shapes in the checkpoint.
  'recipe',
  'projHidden',
  'projOut',
  'predHidden',
];
// Settings that do not change what is learnt (or only within float tolerance).
const FREE: (keyof TrainCliConfig)[] = [
  'backend',
  'threads',
  'recompute',
  'checkpointEvery',
  'monitorEvery',
  'out',
  'resume',
];

const flagOf = (key: string) => Object.entries(FLAGS).find(([, spec]) => spec.key === key)?.[0] ?? key;

// CLI flags whose null default is a recipe value (config.json's resolvedRecipe has it).
const RECIPE_FIELDS: Partial<Record<keyof TrainCliConfig, string>> = {
  weightDecay: 'weightDecay',
  baseTau: 'baseTau',
  warmupFraction: 'warmupFraction',
  projHidden: 'projectorHiddenDim',
  projOut: 'projectorOutputDim',
  predHidden: 'predictorHiddenDim',
};

function recipeValue(stored: Record<string, unknown>, key: keyof TrainCliConfig): unknown {
  const field = RECIPE_FIELDS[key];
  const resolved = stored.resolvedRecipe as Record<string, unknown> | undefined;
  return field && resolved ? resolved[field] : null;
}

/** The flags that reproduce a stored config (values at their defaults are left out). */
function storedArgv(stored: Record<string, unknown>): string[] {
  const argv: string[] = [];
  for (const [flag, spec] of Object.entries(FLAGS)) {
    // The recipe the run resolved (auto's pick), so an extended run keeps it whatever its new length.
    const resolved = (stored.resolvedRecipe as { name?: string } | undefined)?.name;
    const value = spec.key === 'recipe' && resolved ? resolved : stored[spec.key];
    if (value === undefined || value === null || value === false || spec.key === 'out' || spec.key === 'resume')
      continue;
    if (spec.key === 'checkpointEvery' && value === 0) continue;
    if (spec.key === 'backend' && value === 'webgl') continue;
    argv.push(spec.kind === 'bool' ? `--${flag}` : `--${flag}=${String(value)}`);
  }
  // Runs from before input standardisation existed trained on [0, 1] inputs.
  if (stored.normalize === undefined && stored.inputMean === undefined) argv.push('--normalize=none');
  return argv;
}

/** `selfsup-byol resume <run>`: continue (or extend) a run from its config.json. */
export async function resumeCommand(argv: string[], log: (line: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${RESUME_HELP}\n`);
    return 0;
  }
  const [run, ...rest] = argv;
  if (run === undefined || run.startsWith('-'))
    throw new UsageError('resume takes the run folder first: selfsup-byol resume <run> [flags]');
  if (rest.some((a) => a === '--out' || a.startsWith('--out=')))
    throw new UsageError('resume takes the run folder as its argument, not --out');
  let stored: Record<string, unknown>;
  try {
    stored = readRunConfig(run) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const override = rest.includes('--override');
  const given = rest.filter((a) => a !== '--override');
  let before: TrainCliConfig;
  try {
    before = parseTrainArgs([...storedArgv(stored), '--out', run]);
  } catch (err) {
    throw new UsageError(`${runPaths(run).config}: ${(err as Error).message}`);
  }
  const after = parseTrainArgs([...storedArgv(stored), ...given, '--out', run]);
  const fixed: string[] = [];
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  // In --help order, so messages list flags as the user knows them.
  for (const key of Object.values(FLAGS).map((spec) => spec.key)) {
    // A recipe value left at its default (null) is the one the run resolved.
    const from = before[key] ?? recipeValue(stored, key);
    const to = after[key] ?? recipeValue(stored, key);
    if (JSON.stringify(from) === JSON.stringify(to) || FREE.includes(key)) continue;
    const what = `--${flagOf(key)} ${String(to)} (the run has ${String(from)})`;
    if (FIXED.includes(key)) fixed.push(what);
    else if (key === 'epochs' && (to as number) < (from as number))
      fixed.push(`--epochs ${to}: the run is planned for ${from} epochs; it can be extended, not shortened`);
    else if (key !== 'epochs') changed[flagOf(key)] = { from, to };
  }
  if (fixed.length)
    throw new UsageError(
      `cannot change on resume: ${fixed.join('; ')}; that is a new run (selfsup-byol train --out <new folder>)`,
    );
  const names = Object.keys(changed);
  if (names.length && !override) {
    throw new UsageError(
      `resume would change ${names.map((n) => `--${n} ${String(changed[n].from)} -> ${String(changed[n].to)}`).join(', ')} ` +
        `from ${runPaths(run).config}; pass --override to continue with the new value (it is recorded), or start a new run`,
    );
  }
  const checkpoint = runPaths(run).checkpoint;
  const hasCheckpoint = existsSync(checkpoint);
  if (!hasCheckpoint) log(`${run} has no checkpoint yet: starting it again from step 0`);
  const step = hasCheckpoint ? Number((await readSafetensorsHeader(checkpoint)).metadata.step) : 0;
  const history = Array.isArray(stored.overrides) ? stored.overrides : [];
  return runTraining({ ...after, out: run, resume: hasCheckpoint }, log, {
    overrides: names.length ? changed : undefined,
    stored: names.length ? { overrides: [...history, { step, changes: changed }] } : {},
  });
}
