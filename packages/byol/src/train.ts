import { existsSync, mkdirSync, readFileSync, appendFileSync } from 'node:fs';
import { batches, type ImageDataset } from '@selfsup/datasets';
import { saveTorchvisionWeights } from '@selfsup/backbones/node';
import { checkPositiveInteger } from '@selfsup/runtime';
import { removeStaleTempFiles, writeFileAtomic } from '@selfsup/runtime/node';
import { createByol, type Byol, type ByolStepResult, type CreateByolOptions } from './byol';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { collapseRatio, COLLAPSE_WARNING_RATIO } from './collapse';
import { describeRecipe } from './recipe';
import { createProgress, type Progress } from './progress';
import { readMetrics } from './metrics-file';
import { runPaths } from './run-dir';
import { compareRunIdentity, type RunIdentity } from './run-identity';

/** A periodic measurement of the encoder during training, e.g. kNN accuracy on a labelled split. */
export interface TrainMonitor {
  /** Run after every this many epochs (and after the last). */
  everyEpochs: number;
  run(byol: Byol): Promise<Record<string, number>>;
}

export interface TrainByolOptions extends Omit<CreateByolOptions, 'totalSteps' | 'batchSize'> {
  /** Images to pretrain on (labels unused). */
  data: ImageDataset;
  /** Length of the run: the learning-rate and τ schedules are planned over these epochs. */
  epochs: number;
  /**
   * Stop after this epoch (1..epochs) with a checkpoint and status `paused`: the encoder as it is at
   * that point of an `epochs`-long run (snapshots of one run); resume with a later `untilEpoch` to continue.
   */
  untilEpoch?: number;
  /** Images per step; the last partial batch of an epoch is dropped. */
  batchSize: number;
  /** Run folder (config.json, metrics.jsonl, checkpoint.safetensors, encoder.safetensors); nothing is written without it. */
  out?: string;
  /** Continue from `<out>/checkpoint.safetensors`. */
  resume?: boolean;
  /** Steps between checkpoints (default: one epoch). */
  checkpointEvery?: number;
  monitor?: TrainMonitor;
  /** Called after every step. */
  onStep?: (result: ByolStepResult & { epoch: number; imagesPerSecond: number }) => void;
  /** Where progress goes (default: a bar on a terminal stderr, else plain lines); `false` for silence. */
  progress?: Progress | false;
  /** Stored in `<out>/config.json`. */
  config?: Record<string, unknown>;
  /**
   * Stop cleanly (checkpoint, then return) when aborted; a string reason becomes the
   * result's message. The library installs no signal handlers: the CLI aborts this on SIGINT / SIGTERM.
   */
  signal?: AbortSignal;
  /** On resume: settings the caller changed on purpose, recorded in metrics.jsonl (`event: 'override'`) and config.json. */
  overrides?: Record<string, { from: unknown; to: unknown }>;
}

export interface TrainByolResult {
  /**
   * `completed`; `paused` (reached `untilEpoch` before the end: checkpoint written); `interrupted`
   * (aborted: checkpoint written); `diverged` (NaN/Inf loss: last good checkpoint kept).
   */
  status: 'completed' | 'paused' | 'interrupted' | 'diverged';
  /** What stopped it, in words (interrupted, diverged). */
  message?: string;
  steps: number;
  totalSteps: number;
  /** The trainer; `byol.encoder` is the trained online encoder. Dispose it when done. */
  byol: Byol;
}

// Identity of the run: a checkpoint only resumes a run with the same schedule and data.
function runIdentity(options: TrainByolOptions, totalSteps: number): RunIdentity {
  return {
    images: options.data.shape[0],
    batchSize: options.batchSize,
    epochs: options.epochs,
    totalSteps,
    seed: options.seed,
  };
}

// config.json's record of the input standardisation: what loadRunEncoder applies to the stored encoder.
function inputRecord(options: TrainByolOptions) {
  const norm = options.inputNormalization;
  return norm ? { inputMean: norm.mean, inputStd: norm.std } : { inputMean: null, inputStd: null };
}

// The weights were trained for one input standardisation: resuming under another is a new run.
function checkSameInputs(configPath: string, options: TrainByolOptions): void {
  if (!existsSync(configPath)) return;
  const stored = JSON.parse(readFileSync(configPath, 'utf8'));
  const before = { inputMean: stored.inputMean ?? null, inputStd: stored.inputStd ?? null };
  const now = inputRecord(options);
  if (JSON.stringify(before) !== JSON.stringify(now)) {
    const say = (r: typeof before) =>
      r.inputMean ? `mean ${JSON.stringify(r.inputMean)}, std ${JSON.stringify(r.inputStd)}` : 'none';
    throw new Error(
      `trainByol: ${configPath} records input standardisation ${say(before)}, this run asks for ${say(now)}; that is a new run (another out folder)`,
    );
  }
}

function jsonLines(rows: Record<string, unknown>[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/**
 * Pretrain `encoder` with BYOL on `data` for `epochs`, with the paper's recipe
 * scaled to the run (see `createByol`), checkpoints, exact resume, progress,
 * a collapse monitor and an optional periodic monitor such as kNN accuracy.
 */
export async function trainByol(options: TrainByolOptions): Promise<TrainByolResult> {
  const epochs = checkPositiveInteger('trainByol', 'epochs', options.epochs);
  const batchSize = checkPositiveInteger('trainByol', 'batchSize', options.batchSize);
  const count = options.data?.shape?.[0];
  if (!(options.data?.images instanceof Uint8Array) || !Number.isInteger(count)) {
    throw new Error(
      'trainByol: data must be an ImageDataset { images: Uint8Array, shape: [N, H, W, C], ... } (see @selfsup/datasets)',
    );
  }
  const stepsPerEpoch = Math.floor(count / batchSize);
  if (stepsPerEpoch < 1)
    throw new Error(`trainByol: batchSize ${batchSize} is larger than the ${count} images of data`);
  const totalSteps = stepsPerEpoch * epochs;
  const untilEpoch =
    options.untilEpoch === undefined ? epochs : checkPositiveInteger('trainByol', 'untilEpoch', options.untilEpoch);
  if (untilEpoch > epochs)
    throw new Error(`trainByol: untilEpoch must be at most epochs (${epochs}), got ${untilEpoch}`);
  const stopStep = stepsPerEpoch * untilEpoch;
  const checkpointEvery =
    options.checkpointEvery === undefined
      ? stepsPerEpoch
      : checkPositiveInteger('trainByol', 'checkpointEvery', options.checkpointEvery);
  const paths = options.out === undefined ? undefined : runPaths(options.out);
  if (options.resume && !paths)
    throw new Error('trainByol: resume needs out (the run folder holding checkpoint.safetensors)');
  const identity = runIdentity(options, totalSteps);

  const byol = createByol({ ...options, totalSteps, batchSize });
  const progress = options.progress === false ? undefined : (options.progress ?? createProgress(process.stderr));
  const say = (text: string) => (progress ? progress.message(text) : undefined);
  say(describeRecipe(byol.recipe));
  try {
    const removed = paths ? removeStaleTempFiles(paths.dir) : [];
    if (removed.length) say(`removed ${removed.length} temp file(s) a killed run left in ${paths!.dir}`);
    if (paths && options.resume) {
      checkSameInputs(paths.config, options);
      const metadata = await readCheckpoint(paths.checkpoint, byol);
      const step = byol.steps;
      const extension = compareRunIdentity(metadata.run, identity, paths.checkpoint);
      if (step > stopStep)
        throw new Error(
          `trainByol: ${paths.checkpoint} is at step ${step}, past untilEpoch ${untilEpoch} (step ${stopStep}); a snapshot needs a run that has not gone beyond it`,
        );
      // Rows after the checkpoint are replayed by this run; changes to the plan are recorded where they happen.
      const rows: Record<string, unknown>[] = readMetrics(paths.metrics, say).filter((r) => r.step <= step);
      if (extension) rows.push({ step, event: 'extend', ...extension });
      if (options.overrides && Object.keys(options.overrides).length)
        rows.push({ step, event: 'override', changes: options.overrides });
      await writeFileAtomic(paths.metrics, jsonLines(rows));
      if (extension || options.overrides) {
        const before = existsSync(paths.config) ? JSON.parse(readFileSync(paths.config, 'utf8')) : {};
        await writeFileAtomic(
          paths.config,
          `${JSON.stringify({ ...before, ...options.config, ...identity, resolvedRecipe: byol.recipe }, null, 2)}\n`,
        );
      }
      say(
        `resumed from ${paths.checkpoint} at step ${step}/${totalSteps}` +
          (extension
            ? `; extended from ${extension.epochs.from} to ${extension.epochs.to} epochs (lr and tau schedules re-planned over ${totalSteps} steps)`
            : ''),
      );
    } else if (paths) {
      mkdirSync(paths.dir, { recursive: true });
      const config = { ...inputRecord(options), ...options.config, ...identity, resolvedRecipe: byol.recipe };
      await writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
      await writeFileAtomic(paths.metrics, '');
    }
  } catch (err) {
    byol.dispose();
    throw err;
  }

  const save = async () => {
    if (!paths) return;
    await writeCheckpoint(paths.checkpoint, byol, { run: identity });
    await saveTorchvisionWeights(byol.encoder, paths.encoder, { step: String(byol.steps) });
  };
  const record = (row: Record<string, unknown>) => {
    if (paths) appendFileSync(paths.metrics, `${JSON.stringify(row)}\n`);
  };

  let status: TrainByolResult['status'] = 'completed';
  let message: string | undefined;
  let lastSaved = byol.steps;
  // Throughput since this (re)start: smooth enough for an ETA.
  const startTime = performance.now();
  const startStep = byol.steps;
  try {
    // The one data order of @selfsup/datasets (epoch e shuffled with seed + e), resumed at
    // the step's batch; the next batch's pixels are prepared while the loop awaits.
    const firstEpoch = Math.floor(byol.steps / stepsPerEpoch);
    const stream = batches(options.data, {
      batchSize,
      seed: options.seed,
      dropLast: true,
      startEpoch: firstEpoch,
      startBatch: byol.steps % stepsPerEpoch,
      epochs: untilEpoch - firstEpoch,
    });
    for await (const batch of stream) {
      const epoch = batch.epoch;
      batch.labels.dispose();
      let result: ByolStepResult;
      try {
        result = byol.step(batch.images);
      } finally {
        batch.images.dispose();
      }
      if (!Number.isFinite(result.loss)) {
        status = 'diverged';
        record({ step: result.step, epoch: epoch + 1, loss: result.loss, diverged: true });
        message =
          `loss is ${result.loss} at step ${result.step} (epoch ${epoch + 1}); training stopped. ` +
          (paths ? `The last good checkpoint (step ${lastSaved}) is kept in ${paths.checkpoint}. ` : '') +
          'Try a lower learning rate.';
        break;
      }
      const imagesPerSecond =
        ((result.step - startStep) * batchSize * 1000) / Math.max(1e-9, performance.now() - startTime);
      const ratio = collapseRatio(result.projectionStd, byol.online.projector.outputDim);
      record({
        step: result.step,
        epoch: epoch + 1,
        loss: result.loss,
        tau: result.tau,
        lr: result.lr,
        projectionStd: result.projectionStd,
        collapseRatio: ratio,
        imagesPerSecond,
      });
      progress?.update({
        ...result,
        totalSteps: stopStep,
        epoch: epoch + 1,
        imagesPerSecond,
        etaSeconds: ((stopStep - result.step) * batchSize) / imagesPerSecond,
      });
      options.onStep?.({ ...result, epoch: epoch + 1, imagesPerSecond });
      const endOfEpoch = result.step % stepsPerEpoch === 0;
      if (endOfEpoch && ratio < COLLAPSE_WARNING_RATIO) {
        say(
          `warning: the projections are collapsing (std ${result.projectionStd.toExponential(2)} = ${ratio.toFixed(3)} × the healthy 1/√d); try a lower lr or a higher base tau`,
        );
      }
      if (
        endOfEpoch &&
        options.monitor &&
        ((epoch + 1) % options.monitor.everyEpochs === 0 || result.step === totalSteps)
      ) {
        const values = await options.monitor.run(byol);
        record({ step: result.step, epoch: epoch + 1, monitor: values });
        say(
          `epoch ${epoch + 1}: ${Object.entries(values)
            .map(([k, v]) => `${k} ${v.toFixed(4)}`)
            .join(', ')}`,
        );
      }
      if (result.step % checkpointEvery === 0 && result.step < stopStep) {
        await save();
        lastSaved = result.step;
      }
      // Let abort handlers (and the batch prefetch) run between steps (the step itself is synchronous).
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) {
        status = 'interrupted';
        const reason = options.signal.reason;
        message = typeof reason === 'string' ? reason : 'aborted';
        break;
      }
    }
    if (status === 'completed' && byol.steps < totalSteps) {
      status = 'paused';
      message = `paused after epoch ${untilEpoch} of ${epochs} (step ${byol.steps}/${totalSteps}) as asked; resume with a later untilEpoch to continue`;
    }
    if (status !== 'diverged') await save();
  } finally {
    progress?.close();
  }
  if (message) say(message);
  return { status, message, steps: byol.steps, totalSteps, byol };
}
