import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { readRunConfig, runInputNormalization } from '@selfsup/byol/node';
import { IMAGE_EXTENSIONS } from '@selfsup/datasets/node';
import type { BackboneSpec, EncoderSpec, ProtocolSpec } from './config-schema';
import { validateConfig } from './config';
import { holdoutFolder } from './holdout-folder';
import { terminalSummary } from './report/terminal-table';
import { runBenchmark } from './runner';
import { stopOnSignals } from '@selfsup/runtime/node';
import { parseCommandFlags, positiveIntegerFlag, UsageError } from '@selfsup/byol/node';

export const EVAL_HELP = `Usage: ssl-bench eval --encoder <run folder | weights.safetensors> --data <labelled folder> [options]

How good is one encoder? Linear probe, kNN and 5-way few-shot accuracy on a
labelled folder (<data>/train/<class>/<image> and <data>/test/<class>/<image>,
or just <data>/<class>/<image>: then every 5th image of each class is held out),
printed as a table beside a randomly initialised encoder of the same
architecture (standardising its inputs as the run does).
No config file needed.

Options:
  --encoder <path>       a selfsup-byol run folder, or a .safetensors file in torchvision layout
  --data <folder>        labelled images: train/ and test/ sub-folders, one folder per class in each,
                         or only class folders (then every 5th image of each class is the test split)
  --backbone <arch>      convnet|resnet18|resnet34|resnet50 (required with a .safetensors file)
  --stem <s>             cifar|imagenet (.safetensors; default cifar)
  --width <w>            width multiplier (.safetensors; default 1)
  --image-size <n>       images are resized and centre-cropped to n (default: the run's, else 32)
  --per-class <n>        use n training images per class (default all)
  --no-baseline          leave out the random-init row
  --out <dir>            keep the results store and feature cache there (default: a temp folder, removed)
  --backend <b>          auto|tensorflow|wasm|cpu (default auto)
  --threads <n>          wasm backend threads (default: all cores)
  -h, --help             this help`;

const ARCHS = ['convnet', 'resnet18', 'resnet34', 'resnet50'] as const;

function classFolders(dir: string): { name: string; images: number }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => ({
      name: e.name,
      images: readdirSync(join(dir, e.name)).filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())).length,
    }));
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * The labelled folder to evaluate on: `<data>` itself when it has train/ and test/, else (class
 * folders only) a held-out view of it in `scratch`. Returns that folder and the smallest test class.
 */
function labelledFolder(
  data: string,
  scratch: () => string,
  log: (l: string) => void,
): { dir: string; smallest: number } {
  if (!isDir(data)) throw new UsageError(`--data ${data} is not a folder`);
  let dir = data;
  if (!isDir(join(data, 'train')) || !isDir(join(data, 'test'))) {
    const classes = classFolders(data).filter((c) => c.images > 0);
    if (classes.length < 2) {
      const found = readdirSync(data).filter((f) => isDir(join(data, f)));
      throw new UsageError(
        `--data ${data} needs train/ and test/ sub-folders with one folder per class, or at least two class folders of images; ` +
          `it has ${found.length ? found.join(', ') : 'no sub-folders'}`,
      );
    }
    dir = scratch();
    holdoutFolder(data, dir);
    log(
      `note: ${data} has no train/ and test/: every 5th image of each class (sorted by name) is held out for testing`,
    );
  }
  for (const split of ['train', 'test']) {
    const classes = classFolders(join(dir, split));
    if (classes.length < 2) throw new UsageError(`--data: ${join(dir, split)} needs at least two class folders`);
    const empty = classes.filter((c) => c.images === 0).map((c) => c.name);
    if (empty.length) throw new UsageError(`--data: class folders without ${split} images: ${empty.join(', ')}`);
  }
  return { dir, smallest: Math.min(...classFolders(join(dir, 'test')).map((c) => c.images)) };
}

/** Ericsson et al.'s few-shot protocol (5-way, 5/20-shot, 15 queries) shrunk to what the test split holds. */
function fewShotFor(classes: number, smallest: number): ProtocolSpec | undefined {
  const queries = Math.min(15, smallest - 5);
  const shots = [5, 20].filter((s) => s + queries <= smallest);
  if (queries < 1 || shots.length === 0) return undefined;
  return { kind: 'fewshot', ways: Math.min(5, classes), shots, queries, episodes: 600 };
}

function encoderSpecs(values: Record<string, unknown>, log: (l: string) => void, imageSize: number | undefined) {
  const path = resolve(String(values.encoder));
  if (!existsSync(path)) throw new UsageError(`--encoder ${values.encoder} does not exist`);
  const name = basename(path, '.safetensors');
  if (statSync(path).isDirectory()) {
    let run: ReturnType<typeof readRunConfig>;
    try {
      run = readRunConfig(path);
    } catch (err) {
      throw new UsageError(`--encoder: ${(err as Error).message}`);
    }
    if (!existsSync(join(path, 'encoder.safetensors')))
      throw new UsageError(`--encoder: ${path} has no encoder.safetensors yet (written at the first checkpoint)`);
    const trainedAt = run.imageSize ?? 32;
    if (imageSize !== undefined && imageSize !== trainedAt)
      log(`warning: the encoder was trained on ${trainedAt}px images and is evaluated at ${imageSize}px`);
    const backbone: BackboneSpec = { arch: run.backbone, stem: run.stem, width: run.width };
    return {
      backbone,
      // The baseline is the same network at initialisation, standardising its inputs as the run does.
      baselineInput: runInputNormalization(run) ?? {},
      imageSize: imageSize ?? trainedAt,
      encoder: { name, from: 'byol-run', path } as EncoderSpec,
    };
  }
  if (extname(path) !== '.safetensors')
    throw new UsageError(`--encoder ${path}: expected a run folder or a .safetensors file`);
  const arch = values.backbone as string | undefined;
  if (!arch)
    throw new UsageError('--backbone is required with a .safetensors encoder (convnet|resnet18|resnet34|resnet50)');
  if (!(ARCHS as readonly string[]).includes(arch))
    throw new UsageError(`--backbone must be one of ${ARCHS.join(', ')}, got '${arch}'`);
  const stem = (values.stem as string | undefined) ?? 'cifar';
  if (stem !== 'cifar' && stem !== 'imagenet') throw new UsageError(`--stem must be cifar or imagenet, got '${stem}'`);
  const width = values.width === undefined ? 1 : Number(values.width);
  if (!(width > 0)) throw new UsageError(`--width must be a number > 0, got '${values.width}'`);
  const backbone: BackboneSpec = { arch: arch as BackboneSpec['arch'], stem, width };
  return {
    backbone,
    baselineInput: {},
    imageSize: imageSize ?? 32,
    encoder: { name, from: 'torchvision', path, backbone } as EncoderSpec,
  };
}

/** `ssl-bench eval`: one encoder's linear, kNN and few-shot accuracy on a labelled folder, as a terminal table. */
export async function evalCommand(argv: string[], log: (l: string) => void): Promise<number> {
  const values = parseCommandFlags(
    argv,
    {
      encoder: { type: 'string' },
      data: { type: 'string' },
      backbone: { type: 'string' },
      stem: { type: 'string' },
      width: { type: 'string' },
      'image-size': { type: 'string' },
      'per-class': { type: 'string' },
      'no-baseline': { type: 'boolean' },
      out: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
    },
    'ssl-bench eval --help',
  ).values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(`${EVAL_HELP}\n`);
    return 0;
  }
  for (const flag of ['encoder', 'data'])
    if (!values[flag]) throw new UsageError(`--${flag} is required (see ssl-bench eval --help)`);
  const data = resolve(String(values.data));
  const scratchDirs: string[] = [];
  const scratch = () => {
    scratchDirs.push(mkdtempSync(join(tmpdir(), 'ssl-bench-eval-split-')));
    return scratchDirs[scratchDirs.length - 1];
  };
  try {
    return await evaluate(values, data, scratch, log);
  } finally {
    for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
  }
}

async function evaluate(
  values: Record<string, string | boolean | undefined>,
  data: string,
  scratch: () => string,
  log: (l: string) => void,
): Promise<number> {
  const { dir: labelled, smallest } = labelledFolder(data, scratch, log);
  const { backbone, baselineInput, imageSize, encoder } = encoderSpecs(
    values,
    log,
    positiveIntegerFlag('image-size', values['image-size'], undefined),
  );
  const perClass = positiveIntegerFlag('per-class', values['per-class'], undefined);
  const threads = positiveIntegerFlag('threads', values.threads, undefined);
  const classes = classFolders(join(labelled, 'test')).length;
  const fewshot = fewShotFor(classes, smallest);
  if (!fewshot) log(`note: few-shot left out: the smallest test class has ${smallest} images (needs 6 or more)`);
  const dataset = basename(data);
  const config = validateConfig(
    {
      seed: 0,
      imageSize,
      backend: values.backend ?? 'auto',
      encoders: [
        encoder,
        ...(values['no-baseline'] ? [] : [{ name: 'random init', from: 'random', backbone, ...baselineInput }]),
      ],
      datasets: [
        {
          name: dataset,
          format: 'imagefolder',
          train: join(labelled, 'train'),
          test: join(labelled, 'test'),
          ...(perClass ? { perClass: { train: perClass } } : {}),
        },
      ],
      // The demo's 9-point C grid: the paper's 45 points cost 5x for a few tenths of a point.
      protocols: [
        { kind: 'linear', cGrid: [1e4, 1e3, 100, 10, 1, 0.1, 0.01, 1e-3, 1e-4] },
        { kind: 'knn', k: 20 },
        ...(fewshot ? [fewshot] : []),
      ],
      reference: { dataset, protocol: 'linear' },
    },
    'ssl-bench eval',
  );
  const out = values.out ? resolve(String(values.out)) : mkdtempSync(join(tmpdir(), 'ssl-bench-eval-'));
  // Ctrl-C stops after the cell in progress, so the temporary results folder is still removed.
  const stop = stopOnSignals({ onFirst: (signal) => log(`\n${signal}: stopping after the current cell`) });
  try {
    const summary = await runBenchmark({ config, out, wasmThreads: threads, signal: stop.signal });
    process.stdout.write(`${terminalSummary(summary.cells, dataset)}\n`);
    return summary.interrupted ? stop.exitCode : 0;
  } finally {
    stop.dispose();
    if (!values.out) rmSync(out, { recursive: true, force: true });
  }
}
