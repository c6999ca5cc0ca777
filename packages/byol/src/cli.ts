import { existsSync } from 'node:fs';
import { checkInputNormalization, createBackbone } from '@selfsup/backbones';
import { isMixedImageSizesError } from '@selfsup/datasets';
import { initBackend } from '@selfsup/runtime';
import { stopOnSignals } from '@selfsup/runtime/node';
import { exportCommand } from './export-command';
import { FALLBACK_IMAGE_SIZE, helpText, parseTrainArgs, UsageError, type TrainCliConfig } from './cli-args';
import { firstImageSize } from './first-image-size';
import { describeTrainingInputs, nativeSizeProblem, resolveTrainingInputs } from './training-inputs';
import { loadData } from './load-data';
import { knnMonitor } from './knn-monitor';
import { checkRunDir } from './run-dir';
import { trainByol } from './train';
import { embedCommand } from './embed-command';
import { resumeCommand } from './resume-command';
import { reportCommand, writeTrainingReport } from './report-command';

// Subcommands besides `train`, each in its own file.
const COMMANDS: Record<string, (argv: string[], log: (line: string) => void) => Promise<number>> = {
  embed: embedCommand,
  export: exportCommand,
  resume: resumeCommand,
  report: reportCommand,
};

// Data problems are usage errors too (exit 2): the flags pointed at something unusable.
async function loadOrUsageError(...args: Parameters<typeof loadData>) {
  try {
    return await loadData(...args);
  } catch (err) {
    throw asUsageError(err);
  }
}

/** A loader's error is a problem with --data: its first line, without a stack trace. */
const asUsageError = (err: unknown) => new UsageError((err as Error).message.split('\n')[0]);

async function train(argv: string[], log: (line: string) => void): Promise<number> {
  return runTraining(parseTrainArgs(argv), log);
}

/** Train (or continue) the run a checked config describes; `overrides` are recorded when resuming. */
export async function runTraining(
  config: TrainCliConfig,
  log: (line: string) => void,
  extra: { overrides?: Record<string, { from: unknown; to: unknown }>; stored?: Record<string, unknown> } = {},
): Promise<number> {
  if (!existsSync(config.data)) throw new UsageError(`--data ${config.data} does not exist`);
  const outProblem = checkRunDir(config.out, config.resume);
  if (outProblem) throw new UsageError(outProblem);
  let backend: Awaited<ReturnType<typeof initBackend>>;
  try {
    backend = await initBackend(config.backend, { wasmThreads: config.threads });
  } catch (err) {
    throw new UsageError(`--backend ${config.backend}: ${(err as Error).message.split('\n')[0]}`);
  }
  log(`backend: ${backend.name} on ${backend.threads} thread${backend.threads === 1 ? '' : 's'} (${backend.reason})`);
  const { data: path, format, split, limit, seed, skipBadImages } = config;
  const loadOptions = (imageSize: number | undefined) => ({
    data: path,
    format,
    split,
    limit,
    imageSize,
    seed,
    skipBadImages,
    log,
  });
  const load = (imageSize: number | undefined) => loadOrUsageError(loadOptions(imageSize));
  // No --image-size: the images as they are when they share one small square size, else resized on load.
  let fallbackReason: string | undefined;
  if (config.imageSize === null && (format === 'imagefolder' || format === 'images')) {
    const first = await firstImageSize(path);
    fallbackReason = first && nativeSizeProblem(first);
  }
  let data =
    config.imageSize !== null || fallbackReason
      ? await load(config.imageSize ?? FALLBACK_IMAGE_SIZE)
      : await loadData(loadOptions(undefined)).catch((err: unknown) => {
          if (!isMixedImageSizesError(err)) throw asUsageError(err);
          fallbackReason = 'images of different sizes';
          return load(FALLBACK_IMAGE_SIZE);
        });
  if (config.imageSize === null && !fallbackReason) {
    fallbackReason = nativeSizeProblem([data.shape[1], data.shape[2]]);
    if (fallbackReason) data = await load(FALLBACK_IMAGE_SIZE);
  }
  const inputs = resolveTrainingInputs(config, data, { fallbackReason });
  if (inputs.inputNormalization) {
    try {
      checkInputNormalization(inputs.inputNormalization, data.shape[3], '--input-mean / --input-std');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const { imageSize } = inputs;
  const monitorData = config.monitorSplit
    ? await loadOrUsageError({
        data: path,
        // The monitor needs labels: a folder of unlabelled images has its labelled split as an ImageFolder.
        format: format === 'images' ? 'imagefolder' : format,
        split: config.monitorSplit,
        skipBadImages,
        log,
        limit: config.monitorLimit,
        imageSize,
        seed,
      })
    : undefined;
  if (config.batchSize > data.shape[0]) {
    throw new UsageError(
      `--batch-size ${config.batchSize} is larger than the ${data.shape[0]} images of ${path}${split ? ` (${split})` : ''}`,
    );
  }
  log(`data: ${data.shape[0]} images of ${data.shape.slice(1).join('x')} from ${path}${split ? ` (${split})` : ''}`);
  log(describeTrainingInputs(inputs));
  const encoder = createBackbone({
    arch: config.backbone,
    stem: config.stem,
    widthMultiplier: config.width,
    seed: config.seed,
    recompute: config.recompute,
  });
  // Signals are the CLI's business: the first stops the run cleanly, a second exits.
  const stop = stopOnSignals();
  const result = await trainByol({
    data,
    encoder,
    epochs: config.epochs,
    batchSize: config.batchSize,
    recipe: config.recipe,
    learningRate: config.lr ?? undefined,
    weightDecay: config.weightDecay ?? undefined,
    baseTau: config.baseTau ?? undefined,
    warmupFraction: config.warmupFraction ?? undefined,
    projectorHiddenDim: config.projHidden ?? undefined,
    projectorOutputDim: config.projOut ?? undefined,
    predictorHiddenDim: config.predHidden ?? undefined,
    imageSize,
    inputNormalization: inputs.inputNormalization ?? undefined,
    seed,
    out: config.out,
    resume: config.resume,
    checkpointEvery: config.checkpointEvery || undefined,
    monitor: monitorData ? knnMonitor(monitorData, { everyEpochs: config.monitorEvery, seed }) : undefined,
    // The resolved size and standardisation: what embed, export, eval and resume apply.
    config: {
      ...extra.stored,
      ...config,
      imageSize,
      imageSizeFrom: inputs.imageSizeFrom,
      inputMean: inputs.inputNormalization?.mean ?? null,
      inputStd: inputs.inputNormalization?.std ?? null,
      inputNormalizationFrom: inputs.inputNormalizationFrom,
      backend: backend.name,
    },
    overrides: extra.overrides,
    signal: stop.signal,
  }).finally(() => stop.dispose());
  result.byol.dispose({ all: true });
  log(`training curves: ${await writeTrainingReport(config.out)}`);
  if (result.status === 'completed') {
    log(`done: ${result.steps} steps; encoder in ${config.out}/encoder.safetensors`);
    return 0;
  }
  if (result.status === 'diverged') return 1;
  log(`checkpoint at step ${result.steps}; continue with: selfsup-byol resume ${config.out}`);
  return stop.exitCode;
}

/** `selfsup-byol <command> [flags]`; resolves to the process exit code. */
export async function main(
  argv: string[],
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  try {
    if (
      argv.length === 0 ||
      argv[0] === '--help' ||
      argv[0] === '-h' ||
      (argv[0] === 'train' && argv.includes('--help'))
    ) {
      if (argv.length === 0) {
        log(helpText());
        return 2;
      }
      process.stdout.write(`${helpText()}\n`);
      return 0;
    }
    if (Object.hasOwn(COMMANDS, argv[0])) return await COMMANDS[argv[0]](argv.slice(1), log);
    if (argv[0] !== 'train')
      throw new UsageError(
        `unknown command '${argv[0]}' (expected ${['train', ...Object.keys(COMMANDS)].join(', ')}; see selfsup-byol --help)`,
      );
    return await train(argv.slice(1), log);
  } catch (err) {
    if (err instanceof UsageError) {
      log(`selfsup-byol: ${err.message}`);
      return 2;
    }
    log(`selfsup-byol: ${(err as Error).message}`);
    return 1;
  }
}
