import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BACKBONE_ARCHS } from '@selfsup/backbones';
import { DATASET_FORMATS } from '@selfsup/datasets/node';
import { BACKEND_PREFERENCES } from '@selfsup/runtime';
import type {
  BackboneSpec,
  BenchConfig,
  DatasetSpec,
  EncoderSpec,
  PretrainSpec,
  ProtocolSpec,
  SplitSource,
} from './config-schema';
import { ANALYSIS_KINDS, analysisProtocol, checkAnalysisEncoders } from './config-analysis';

/** A config that does not validate; `problems` lists every one, each starting with its path in the file. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Obj = Record<string, unknown>;

/** Collects problems with their paths instead of stopping at the first. */
export class Checker {
  readonly problems: string[] = [];

  fail(path: string, expected: string, value: unknown): undefined {
    this.problems.push(`${path}: expected ${expected}, got ${JSON.stringify(value) ?? 'nothing'}`);
    return undefined;
  }

  object(v: unknown, path: string): Obj | undefined {
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : this.fail(path, 'an object', v);
  }

  array(v: unknown, path: string, nonEmpty = true): unknown[] | undefined {
    if (!Array.isArray(v)) return this.fail(path, 'a list', v);
    if (nonEmpty && v.length === 0) return this.fail(path, 'a non-empty list', v);
    return v;
  }

  string(v: unknown, path: string): string | undefined {
    return typeof v === 'string' && v.length > 0 ? v : this.fail(path, 'a non-empty string', v);
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T | undefined {
    return options.includes(v as T) ? (v as T) : this.fail(path, `one of ${options.join(' | ')}`, v);
  }

  number(
    v: unknown,
    path: string,
    { min = -Infinity, integer = false, exclusiveMin = false } = {},
  ): number | undefined {
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (exclusiveMin ? v > min : v >= min) &&
      (!integer || Number.isInteger(v));
    return ok ? v : this.fail(path, `${integer ? 'an integer' : 'a number'} ${exclusiveMin ? '>' : '>='} ${min}`, v);
  }

  optional<T>(o: Obj, key: string, path: string, check: (v: unknown, p: string) => T | undefined): T | undefined {
    return o[key] === undefined ? undefined : check(o[key], `${path}.${key}`);
  }

  numbers(
    v: unknown,
    path: string,
    opts: { min?: number; integer?: boolean; exclusiveMin?: boolean },
  ): number[] | undefined {
    const list = this.array(v, path);
    return list?.every((x, i) => this.number(x, `${path}[${i}]`, opts) !== undefined) ? (list as number[]) : undefined;
  }

  unknownKeys(o: Obj, path: string, allowed: string[]): void {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) this.problems.push(`${path}.${key}: unknown key (allowed: ${allowed.join(', ')})`);
    }
  }
}

const positive = { min: 0, exclusiveMin: true };
const positiveInt = { min: 1, integer: true };

function backbone(c: Checker, v: unknown, path: string): BackboneSpec | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  c.unknownKeys(o, path, ['arch', 'stem', 'width']);
  const arch = c.oneOf(o.arch, `${path}.arch`, BACKBONE_ARCHS);
  const stem = c.optional(o, 'stem', path, (x, p) => c.oneOf(x, p, ['cifar', 'imagenet'] as const));
  const width = c.optional(o, 'width', path, (x, p) => c.number(x, p, positive));
  return arch && { arch, stem, width };
}

function pretrain(
  c: Checker,
  v: unknown,
  path: string,
  datasets: Set<string>,
  from: 'byol' | 'supervised',
): PretrainSpec | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  // Only BYOL training can stop part-way through a planned schedule (trainByol's untilEpoch).
  c.unknownKeys(o, path, [
    'dataset',
    'epochs',
    'batchSize',
    'lr',
    'limit',
    ...(from === 'byol' ? ['scheduleEpochs'] : []),
  ]);
  const dataset = c.string(o.dataset, `${path}.dataset`);
  if (dataset && !datasets.has(dataset))
    c.fail(`${path}.dataset`, `a dataset name (${[...datasets].join(', ')})`, dataset);
  const epochs = c.number(o.epochs, `${path}.epochs`, positive);
  const batchSize = c.number(o.batchSize, `${path}.batchSize`, { min: 2, integer: true });
  const lr = c.optional(o, 'lr', path, (x, p) => c.number(x, p, positive));
  const limit = c.optional(o, 'limit', path, (x, p) => c.number(x, p, positiveInt));
  const scheduleEpochs = c.optional(o, 'scheduleEpochs', path, (x, p) => {
    const n = c.number(x, p, positiveInt);
    return n !== undefined && epochs !== undefined && n < epochs ? c.fail(p, `an integer >= epochs (${epochs})`, x) : n;
  });
  return dataset && epochs && batchSize ? { dataset, epochs, batchSize, lr, limit, scheduleEpochs } : undefined;
}

// A random encoder's input standardisation: a dataset's statistics, or explicit mean and std (both).
function randomNormalization(c: Checker, o: Obj, path: string, datasets: Set<string>, spec: Obj): void {
  spec.normalize = c.optional(o, 'normalize', path, (x, p) => {
    const name = c.string(x, p);
    return name && !datasets.has(name) ? c.fail(p, `a dataset name (${[...datasets].join(', ')})`, name) : name;
  });
  const [hasMean, hasStd] = [o.mean !== undefined, o.std !== undefined];
  if (hasMean !== hasStd) {
    const missing = hasMean ? 'std' : 'mean';
    c.fail(`${path}.${missing}`, `${missing} too (mean and std go together)`, undefined);
  } else if (hasMean && o.normalize !== undefined) {
    c.fail(`${path}.normalize`, 'no normalize beside mean and std (one standardisation)', o.normalize);
  }
}

function encoder(c: Checker, v: unknown, path: string, datasets: Set<string>): EncoderSpec | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  const name = c.string(o.name, `${path}.name`);
  const from = c.oneOf(o.from, `${path}.from`, [
    'random',
    'byol-run',
    'torchvision',
    'onnx',
    'byol',
    'supervised',
  ] as const);
  const reference = c.optional(o, 'reference', path, (x, p) => c.number(x, p));
  if (!name || !from) return undefined;
  const keys: Record<typeof from, string[]> = {
    random: ['backbone', 'normalize', 'mean', 'std'],
    'byol-run': ['path'],
    torchvision: ['path', 'backbone'],
    onnx: ['path', 'layout', 'mean', 'std'],
    byol: ['backbone', 'pretrain'],
    supervised: ['backbone', 'pretrain'],
  };
  c.unknownKeys(o, path, ['name', 'from', 'reference', ...keys[from]]);
  const spec: Obj = { name, from, reference };
  if (keys[from].includes('backbone')) spec.backbone = backbone(c, o.backbone, `${path}.backbone`);
  if (keys[from].includes('path')) spec.path = c.string(o.path, `${path}.path`);
  if (keys[from].includes('pretrain'))
    spec.pretrain = pretrain(c, o.pretrain, `${path}.pretrain`, datasets, from as 'byol' | 'supervised');
  if (from === 'onnx') spec.layout = c.optional(o, 'layout', path, (x, p) => c.oneOf(x, p, ['NCHW', 'NHWC'] as const));
  if (keys[from].includes('mean')) {
    for (const key of ['mean', 'std'] as const) {
      spec[key] = c.optional(o, key, path, (x, p) => {
        const list = c.numbers(x, p, key === 'std' ? positive : {});
        return list && list.length !== 1 && list.length !== 3 ? c.fail(p, '1 or 3 numbers (per channel)', x) : list;
      });
    }
  }
  if (from === 'random') randomNormalization(c, o, path, datasets, spec);
  return spec as unknown as EncoderSpec;
}

function splitSource(
  c: Checker,
  v: unknown,
  path: string,
  format: DatasetSpec['format'] | undefined,
): SplitSource | undefined {
  if (format === 'idx') {
    const o = c.object(v, path);
    if (!o) return undefined;
    c.unknownKeys(o, path, ['images', 'labels']);
    const images = c.string(o.images, `${path}.images`);
    const labels = c.string(o.labels, `${path}.labels`);
    return images && labels ? { images, labels } : undefined;
  }
  return c.string(v, path);
}

// Transfer protocols need labels: `images` (a folder of unlabelled photos) is a pretraining format only.
const LABELLED_FORMATS = DATASET_FORMATS.filter((f) => f !== 'images');

function dataset(c: Checker, v: unknown, path: string): DatasetSpec | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  c.unknownKeys(o, path, ['name', 'format', 'train', 'test', 'val', 'size', 'perClass']);
  const name = c.string(o.name, `${path}.name`);
  const format = c.oneOf(o.format, `${path}.format`, LABELLED_FORMATS);
  const train = splitSource(c, o.train, `${path}.train`, format);
  const test = splitSource(c, o.test, `${path}.test`, format);
  const val = c.optional(o, 'val', path, (x, p) => splitSource(c, x, p, format));
  const size = c.optional(o, 'size', path, (x, p) => c.number(x, p, positiveInt));
  const perClass = c.optional(o, 'perClass', path, (x, p) => {
    const pc = c.object(x, p);
    if (!pc) return undefined;
    c.unknownKeys(pc, p, ['train', 'test', 'val']);
    for (const k of Object.keys(pc)) c.number(pc[k], `${p}.${k}`, positiveInt);
    return pc as DatasetSpec['perClass'];
  });
  return name && format && train && test ? { name, format, train, test, val, size, perClass } : undefined;
}

function protocol(
  c: Checker,
  v: unknown,
  path: string,
  datasets: Set<string>,
  encoders: Set<string>,
): ProtocolSpec | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  const kind = c.oneOf(o.kind, `${path}.kind`, ['linear', 'knn', 'fewshot', 'finetune', ...ANALYSIS_KINDS] as const);
  if (!kind) return undefined;
  if ((ANALYSIS_KINDS as readonly string[]).includes(kind)) return analysisProtocol(c, o, path, datasets, encoders);
  const at = (k: string) => `${path}.${k}`;
  switch (kind) {
    case 'linear':
      c.unknownKeys(o, path, ['kind', 'cGrid', 'metric']);
      c.optional(o, 'cGrid', path, (x, p) => c.numbers(x, p, positive));
      c.optional(o, 'metric', path, (x, p) => c.oneOf(x, p, ['top1', 'meanPerClass'] as const));
      break;
    case 'knn':
      c.unknownKeys(o, path, ['kind', 'k', 'temperature']);
      c.optional(o, 'k', path, (x) => c.number(x, at('k'), positiveInt));
      c.optional(o, 'temperature', path, (x) => c.number(x, at('temperature'), positive));
      break;
    case 'fewshot':
      c.unknownKeys(o, path, ['kind', 'ways', 'shots', 'queries', 'episodes']);
      c.optional(o, 'ways', path, (x) => c.number(x, at('ways'), { min: 2, integer: true }));
      c.optional(o, 'shots', path, (x, p) => c.numbers(x, p, positiveInt));
      c.optional(o, 'queries', path, (x) => c.number(x, at('queries'), positiveInt));
      c.optional(o, 'episodes', path, (x) => c.number(x, at('episodes'), positiveInt));
      break;
    case 'finetune':
      c.unknownKeys(o, path, ['kind', 'steps', 'batchSize', 'lrGrid', 'wdGrid']);
      c.optional(o, 'steps', path, (x) => c.number(x, at('steps'), positiveInt));
      c.optional(o, 'batchSize', path, (x) => c.number(x, at('batchSize'), { min: 2, integer: true }));
      c.optional(o, 'lrGrid', path, (x, p) => c.numbers(x, p, positive));
      c.optional(o, 'wdGrid', path, (x, p) => c.numbers(x, p, { min: 0 }));
      break;
  }
  return o as unknown as ProtocolSpec;
}

function nameList(entries: unknown[]): (string | undefined)[] {
  return entries.map((e) => (e && typeof (e as Obj).name === 'string' ? ((e as Obj).name as string) : undefined));
}

function unique(c: Checker, names: (string | undefined)[], path: string): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n && seen.has(n)) c.problems.push(`${path}[${i}].name: '${n}' is used twice`);
    if (n) seen.add(n);
  });
}

/** Validate a parsed config object; every problem is reported at once, with its path. */
export function validateConfig(raw: unknown, file = '<config>', baseDir = process.cwd()): BenchConfig {
  const c = new Checker();
  const o = c.object(raw, '(root)') ?? {};
  c.unknownKeys(o, '(root)', ['seed', 'imageSize', 'backend', 'encoders', 'datasets', 'protocols', 'reference']);
  const seed = o.seed === undefined ? 0 : c.number(o.seed, 'seed', { min: 0, integer: true });
  const imageSize = o.imageSize === undefined ? 32 : c.number(o.imageSize, 'imageSize', { min: 8, integer: true });
  const backend = o.backend === undefined ? 'auto' : c.oneOf(o.backend, 'backend', BACKEND_PREFERENCES);
  const rawDatasets = c.array(o.datasets, 'datasets') ?? [];
  const datasets = rawDatasets.map((d, i) => dataset(c, d, `datasets[${i}]`));
  // Names come from the raw entries, so one broken dataset does not cascade into "unknown dataset" errors.
  const names = new Set(nameList(rawDatasets).filter((n): n is string => n !== undefined));
  unique(c, nameList(rawDatasets), 'datasets');
  const rawEncoders = c.array(o.encoders, 'encoders') ?? [];
  const encoders = rawEncoders.map((e, i) => encoder(c, e, `encoders[${i}]`, names));
  unique(c, nameList(rawEncoders), 'encoders');
  const protocols = (c.array(o.protocols, 'protocols') ?? []).map((p, i) =>
    protocol(c, p, `protocols[${i}]`, names, new Set(nameList(rawEncoders).filter((n): n is string => !!n))),
  );
  const kinds = protocols.map((p) => p?.kind);
  kinds.forEach((k, i) => {
    if (k && kinds.indexOf(k) !== i) c.problems.push(`protocols[${i}].kind: '${k}' is listed twice`);
  });
  // Fine-tuning trains the encoder: an ONNX model is a frozen graph.
  const finetune = kinds.indexOf('finetune');
  if (finetune >= 0) {
    encoders.forEach((e, i) => {
      if (e?.from === 'onnx') {
        c.problems.push(
          `encoders[${i}]: '${e.name}' is an ONNX model, which protocols[${finetune}] (finetune) cannot train; ` +
            'fine-tuning needs a trainable tfjs model (give the same weights as from: torchvision, or drop finetune)',
        );
      }
    });
  }
  checkAnalysisEncoders(c, encoders, kinds);
  const ref = c.object(o.reference, 'reference');
  let reference: BenchConfig['reference'] | undefined;
  if (ref) {
    c.unknownKeys(ref, 'reference', ['dataset', 'protocol']);
    const rd = c.string(ref.dataset, 'reference.dataset');
    if (rd && !names.has(rd)) c.fail('reference.dataset', `a dataset name (${[...names].join(', ')})`, rd);
    const rp = c.oneOf(ref.protocol, 'reference.protocol', ['linear', 'knn'] as const);
    if (rp && !kinds.includes(rp))
      c.fail('reference.protocol', `a protocol listed in protocols (${kinds.join(', ')})`, rp);
    if (rd && rp) reference = { dataset: rd, protocol: rp };
  }
  if (c.problems.length) throw new ConfigError(file, c.problems);
  return {
    seed: seed!,
    imageSize: imageSize!,
    backend: backend!,
    encoders: encoders as EncoderSpec[],
    datasets: datasets as DatasetSpec[],
    protocols: protocols as ProtocolSpec[],
    reference: reference!,
    baseDir,
  };
}

/** Deepest nesting a config may have: real ones are 4 levels deep; deeper input would overflow the stack of the checks. */
export const MAX_CONFIG_DEPTH = 32;

/** The nesting depth of parsed JSON/YAML, counted without recursion (so a hostile file cannot overflow the stack). */
function depthOver(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Parse JSON or YAML text (by extension; `.json` is JSON, anything else YAML, which also reads JSON). */
export function parseConfigText(text: string, file: string): unknown {
  const kind = extname(file) === '.json' ? 'JSON' : 'YAML';
  let value: unknown;
  try {
    value = kind === 'JSON' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const why =
      err instanceof RangeError || /call stack/.test((err as Error).message)
        ? 'nested too deeply'
        : (err as Error).message;
    throw new ConfigError(file, [`cannot parse ${kind}: ${why}`]);
  }
  if (depthOver(value, MAX_CONFIG_DEPTH))
    throw new ConfigError(file, [`nested deeper than ${MAX_CONFIG_DEPTH} levels (a config is a few levels deep)`]);
  return value;
}

/** Read, parse and validate a config file; relative paths in it are relative to the file. */
export function loadConfig(file: string): BenchConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read: ${(err as Error).message}`]);
  }
  return validateConfig(parseConfigText(text, file), file, dirname(resolve(file)));
}
