import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKBONE_ARCHS } from '@selfsup/backbones';
import { DATASET_FORMATS } from '@selfsup/datasets/node';
import { BACKEND_PREFERENCES } from '@selfsup/runtime';
import { inlineNegativeValues, parseCliNumber } from '@selfsup/runtime/node';
import { BYOL_RECIPES, RECIPE_NAMES, type RecipeChoice } from './recipe';

/** A command-line mistake: the CLI prints the message on one line and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const FORMATS = DATASET_FORMATS;
export const BACKBONES = BACKBONE_ARCHS;
export const STEMS = ['cifar', 'imagenet'] as const;
export const BACKENDS = BACKEND_PREFERENCES;
export const RECIPES = [...RECIPE_NAMES, 'auto'] as const;
export const NORMALIZE = ['data', 'none'] as const;
/** The image side used when the training images differ in size and --image-size is not given. */
export const FALLBACK_IMAGE_SIZE = 32;

/** Everything `selfsup-byol train` was asked to do; written to `<out>/config.json`. */
export interface TrainCliConfig {
  data: string;
  format: (typeof FORMATS)[number];
  /** null: train (folder formats: `<data>/train` if it exists, else `<data>` itself). */
  split: string | null;
  /** Leave out image files that cannot be decoded (each reported once). */
  skipBadImages: boolean;
  limit: number | null;
  backbone: (typeof BACKBONES)[number];
  stem: (typeof STEMS)[number];
  width: number;
  /** ResNets: recompute activations in backprop instead of keeping them (less memory, more compute; same results). */
  recompute: boolean;
  /** null: the images' own size when they all share one square size ≤ 64 px, else 32 (config.json records the size used and why). */
  imageSize: number | null;
  /** `data`: standardise inputs per channel with the training images' mean and std (config.json records them); `none`: [0, 1] inputs. */
  normalize: (typeof NORMALIZE)[number];
  /** Explicit per-channel input mean / std (both or neither; one value = every channel); they replace `normalize`'s. */
  inputMean: number[] | null;
  inputStd: number[] | null;
  epochs: number;
  batchSize: number;
  /** Named recipe for every value not given (resolved name and values: config.json's `recipe`). */
  recipe: RecipeChoice;
  /** Peak learning rate; null means the recipe's base lr × batchSize / 256. */
  lr: number | null;
  /** null: the recipe's value (so for the head sizes below). */
  weightDecay: number | null;
  baseTau: number | null;
  warmupFraction: number | null;
  projHidden: number | null;
  projOut: number | null;
  predHidden: number | null;
  seed: number;
  out: string;
  resume: boolean;
  checkpointEvery: number;
  monitorSplit: string | null;
  monitorEvery: number;
  monitorLimit: number | null;
  backend: (typeof BACKENDS)[number];
  /** wasm backend threads (Node); results are the same for every count. */
  threads: number;
}

export interface FlagSpec {
  key: keyof TrainCliConfig;
  kind: 'string' | 'int' | 'number' | 'numbers' | 'bool';
  help: string;
  /** Shown in --help; undefined means the flag is required. */
  defaultText?: string;
  choices?: readonly string[];
  min?: number;
}

/** `paper 0.996, small 0.99`: a recipe field's default in --help. */
function recipeDefault(field: keyof (typeof BYOL_RECIPES)['paper'], suffix = ''): string {
  return Object.entries(BYOL_RECIPES)
    .map(([name, r]) => `${name} ${String(r[field])}${suffix}`)
    .join(', ');
}

export const FLAGS: Record<string, FlagSpec> = {
  data: { key: 'data', kind: 'string', help: 'dataset folder' },
  format: {
    key: 'format',
    kind: 'string',
    choices: FORMATS,
    help: 'dataset format (images: every image under the folder, no structure needed)',
  },
  split: {
    key: 'split',
    kind: 'string',
    defaultText: 'train, or the folder itself when it has no train/',
    help: 'split to pretrain on (labels are not used)',
  },
  'skip-bad-images': {
    key: 'skipBadImages',
    kind: 'bool',
    defaultText: 'off',
    help: 'leave out image files that cannot be decoded (each reported once)',
  },
  limit: {
    key: 'limit',
    kind: 'int',
    min: 1,
    defaultText: 'all',
    help: 'use a seeded class-balanced subset of N images',
  },
  backbone: { key: 'backbone', kind: 'string', choices: BACKBONES, help: 'encoder architecture' },
  stem: {
    key: 'stem',
    kind: 'string',
    choices: STEMS,
    defaultText: 'cifar',
    help: 'ResNet stem (3x3 conv for small images, or 7x7 + maxpool)',
  },
  width: { key: 'width', kind: 'number', min: 0, defaultText: '1', help: 'width multiplier of the backbone' },
  recompute: {
    key: 'recompute',
    kind: 'bool',
    defaultText: 'off',
    help: 'ResNets: recompute activations in backprop instead of keeping them (about 1/3 of the memory, up to ~1/3 more time; same results)',
  },
  'image-size': {
    key: 'imageSize',
    kind: 'int',
    min: 8,
    defaultText: `the images' own size when all share one square size <= 64 px, else ${FALLBACK_IMAGE_SIZE}`,
    help: 'side of the square augmented views (images are resized to it on load)',
  },
  normalize: {
    key: 'normalize',
    kind: 'string',
    choices: NORMALIZE,
    defaultText: 'data',
    help: "standardise inputs per channel with the training images' mean and std (stored with the run), or none",
  },
  'input-mean': {
    key: 'inputMean',
    kind: 'numbers',
    defaultText: 'from --normalize',
    help: 'per-channel input mean, e.g. 0.485,0.456,0.406 (with --input-std)',
  },
  'input-std': {
    key: 'inputStd',
    kind: 'numbers',
    min: 0,
    defaultText: 'from --normalize',
    help: 'per-channel input std, e.g. 0.229,0.224,0.225 (with --input-mean)',
  },
  epochs: { key: 'epochs', kind: 'int', min: 1, help: 'passes over the data' },
  'batch-size': { key: 'batchSize', kind: 'int', min: 2, help: 'images per step (each gives two views)' },
  recipe: {
    key: 'recipe',
    kind: 'string',
    choices: RECIPES,
    defaultText: 'auto: small for images <= 64 px or runs <= 5000 steps, else paper',
    help: 'recipe for every value below that is not given (README: Recipes)',
  },
  lr: {
    key: 'lr',
    kind: 'number',
    min: 0,
    defaultText: recipeDefault('baseLearningRate', ' x batch-size / 256'),
    help: 'peak learning rate (LARS, warm-up then cosine)',
  },
  'weight-decay': {
    key: 'weightDecay',
    kind: 'number',
    min: 0,
    defaultText: recipeDefault('weightDecay'),
    help: 'LARS weight decay (bias and BN excluded)',
  },
  'base-tau': {
    key: 'baseTau',
    kind: 'number',
    min: 0,
    defaultText: recipeDefault('baseTau'),
    help: 'target EMA rate at step 0 (rises to 1 on a cosine)',
  },
  'warmup-fraction': {
    key: 'warmupFraction',
    kind: 'number',
    min: 0,
    defaultText: recipeDefault('warmupFraction'),
    help: 'fraction of steps with linear lr warm-up',
  },
  'proj-hidden': {
    key: 'projHidden',
    kind: 'int',
    min: 1,
    defaultText: recipeDefault('projectorHiddenDim'),
    help: 'hidden width of the projector',
  },
  'proj-out': {
    key: 'projOut',
    kind: 'int',
    min: 1,
    defaultText: recipeDefault('projectorOutputDim'),
    help: 'output width of the projector and predictor',
  },
  'pred-hidden': {
    key: 'predHidden',
    kind: 'int',
    min: 1,
    defaultText: recipeDefault('predictorHiddenDim'),
    help: 'hidden width of the predictor',
  },
  seed: { key: 'seed', kind: 'int', min: 0, defaultText: '0', help: 'seed for weights, data order and augmentations' },
  out: {
    key: 'out',
    kind: 'string',
    help: 'run folder: config.json, metrics.jsonl, checkpoint.safetensors, encoder.safetensors',
  },
  resume: { key: 'resume', kind: 'bool', defaultText: 'off', help: 'continue from <out>/checkpoint.safetensors' },
  'checkpoint-every': {
    key: 'checkpointEvery',
    kind: 'int',
    min: 1,
    defaultText: 'one epoch of steps',
    help: 'steps between checkpoints',
  },
  'monitor-split': {
    key: 'monitorSplit',
    kind: 'string',
    defaultText: 'none',
    help: 'labelled split for the online kNN monitor (e.g. test)',
  },
  'monitor-every': {
    key: 'monitorEvery',
    kind: 'int',
    min: 1,
    defaultText: '1',
    help: 'epochs between kNN monitor runs',
  },
  'monitor-limit': {
    key: 'monitorLimit',
    kind: 'int',
    min: 10,
    defaultText: '1000',
    help: 'images of the monitor split (half bank, half queries)',
  },
  backend: { key: 'backend', kind: 'string', choices: BACKENDS, defaultText: 'auto', help: 'tfjs backend' },
  threads: {
    key: 'threads',
    kind: 'int',
    min: 1,
    defaultText: 'all cores',
    help: 'threads of the wasm backend (results do not depend on it)',
  },
};

const DEFAULTS: Partial<TrainCliConfig> = {
  split: null,
  skipBadImages: false,
  limit: null,
  stem: 'cifar',
  width: 1,
  recompute: false,
  imageSize: null,
  normalize: 'data',
  inputMean: null,
  inputStd: null,
  recipe: 'auto',
  lr: null,
  weightDecay: null,
  baseTau: null,
  warmupFraction: null,
  projHidden: null,
  projOut: null,
  predHidden: null,
  seed: 0,
  resume: false,
  checkpointEvery: 0,
  monitorSplit: null,
  monitorEvery: 1,
  monitorLimit: 1000,
  backend: 'auto',
  threads: availableParallelism(),
};

/** The text of `selfsup-byol --help`: every flag with its default. */
export function helpText(): string {
  const rows = Object.entries(FLAGS).map(([flag, spec]) => {
    const value =
      spec.kind === 'bool'
        ? ''
        : spec.choices
          ? ` ${spec.choices.join('|')}`
          : ` <${spec.kind === 'string' ? 'value' : spec.kind === 'numbers' ? 'n,n,n' : spec.kind}>`;
    const dflt = spec.defaultText === undefined ? 'required' : `default: ${spec.defaultText}`;
    return [`  --${flag}${value}`, `${spec.help} (${dflt})`];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [
    'selfsup-byol: BYOL self-supervised pretraining (Grill et al. 2020) on TensorFlow.js',
    '',
    'Usage:',
    `  selfsup-byol train --data <path> --format ${FORMATS.join('|')} --backbone ${BACKBONES.join('|')}`,
    '                     --epochs E --batch-size B --out <dir> [options]',
    '  selfsup-byol export --run <dir> --format onnx|tfjs --out <path>   (see selfsup-byol export --help)',
    '  selfsup-byol resume <run> [--epochs E] [--override]   (continue or extend a run; see resume --help)',
    '  selfsup-byol report <run>   (training curves as HTML: <run>/training.html)',
    '  selfsup-byol embed --run <dir> --data <folder> --out <file.csv|.npy|.safetensors>   (see embed --help)',
    '  selfsup-byol --help',
    '',
    'Flags of `train`:',
    ...rows.map(([l, r]) => l.padEnd(width) + r),
    '',
    'Exit codes: 0 done, 1 training failed (e.g. NaN loss; the last good checkpoint is kept), 2 bad usage.',
  ].join('\n');
}

function convert(flag: string, spec: FlagSpec, raw: string | boolean): unknown {
  if (spec.kind === 'bool') return raw === true;
  const text = String(raw);
  if (spec.kind === 'string') {
    if (spec.choices && !spec.choices.includes(text)) {
      throw new UsageError(`--${flag} must be one of ${spec.choices.join(', ')}, got '${text}'`);
    }
    if (text === '') throw new UsageError(`--${flag} must not be empty`);
    return text;
  }
  if (spec.kind === 'numbers') {
    const values = text.split(',').map((part) => parseCliNumber(part.trim(), 'number'));
    if (!values.every((v) => v !== undefined && (spec.min === undefined || v > spec.min)))
      throw new UsageError(
        `--${flag} must be comma-separated numbers${spec.min !== undefined ? ` > ${spec.min}` : ''}, got '${text}'`,
      );
    return values;
  }
  const value = parseCliNumber(text, spec.kind);
  if (value === undefined || (spec.min !== undefined && value < spec.min)) {
    const what = spec.kind === 'int' ? 'an integer' : 'a number';
    throw new UsageError(`--${flag} must be ${what}${spec.min !== undefined ? ` >= ${spec.min}` : ''}, got '${text}'`);
  }
  return value;
}

/** Parse `train` flags (argv after the subcommand) into a checked config; throws `UsageError`. */
export function parseTrainArgs(argv: string[]): TrainCliConfig {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([flag, spec]) => [
      flag,
      { type: spec.kind === 'bool' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    const args = inlineNegativeValues(
      argv,
      Object.keys(FLAGS).filter((f) => FLAGS[f].kind !== 'bool'),
    );
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see selfsup-byol --help)`);
  }
  const config: Record<string, unknown> = { ...DEFAULTS };
  for (const [flag, spec] of Object.entries(FLAGS)) {
    const raw = values[flag];
    if (raw === undefined) {
      if (spec.defaultText === undefined) throw new UsageError(`--${flag} is required (see selfsup-byol --help)`);
      continue;
    }
    config[spec.key] = convert(flag, spec, raw);
  }
  const checked = config as unknown as TrainCliConfig;
  for (const [flag, key] of [
    ['base-tau', 'baseTau'],
    ['warmup-fraction', 'warmupFraction'],
  ] as const) {
    if ((checked[key] ?? 0) > 1) throw new UsageError(`--${flag} must be in [0, 1], got ${checked[key]}`);
  }
  if (checked.width <= 0) throw new UsageError(`--width must be > 0, got ${checked.width}`);
  if ((checked.inputMean === null) !== (checked.inputStd === null))
    throw new UsageError('--input-mean and --input-std go together: give both or neither');
  const [m, sd] = [checked.inputMean?.length ?? 1, checked.inputStd?.length ?? 1];
  // One value stands for every channel; otherwise one value per channel in both.
  if (m !== sd && m !== 1 && sd !== 1) throw new UsageError(`--input-mean has ${m} values but --input-std has ${sd}`);
  return checked;
}
