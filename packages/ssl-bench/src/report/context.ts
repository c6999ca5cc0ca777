import { readFileSync } from 'node:fs';
import type { BenchConfig, EncoderSpec } from '../config-schema';
import type { BenchDataset } from '../load-datasets';

/** What a reader needs besides the numbers: where they come from. Stored with the results (meta `context`). */
export interface ReportContext {
  /** Images (and classes) of each split of each dataset, as loaded (after `perClass` subsets). */
  datasets: Record<string, { train: number; val?: number; test: number; classes: number }>;
  /** One line per encoder: what it is and how it was trained. */
  encoders: Record<string, string>;
  /** Encoders that are randomly initialised (the baseline every pretrained encoder should beat). */
  randomInit: string[];
  /** The config as run (paths as written in it). */
  config: Omit<BenchConfig, 'baseDir'>;
  backend: string;
  /** `@selfsup/ssl-bench` version. */
  version: string;
  /** When the results were last computed (ISO). */
  date: string;
}

function backbone(b: { arch: string; stem?: string; width?: number }): string {
  const name = b.arch === 'convnet' ? 'ConvNet' : b.arch.replace('resnet', 'ResNet-');
  return `${name}${b.arch !== 'convnet' ? ` (${b.stem ?? 'cifar'} stem)` : ''}${b.width && b.width !== 1 ? ` ×${b.width}` : ''}`;
}

function randomInput(spec: Extract<EncoderSpec, { from: 'random' }>): string {
  if (spec.normalize) return `, inputs standardised with ${spec.normalize}'s per-channel mean and std`;
  if (spec.mean && spec.std)
    return `, inputs standardised with mean ${spec.mean.join('/')} and std ${spec.std.join('/')}`;
  return '';
}

/** A plain-language line for an encoder spec. */
export function describeEncoder(spec: EncoderSpec): string {
  switch (spec.from) {
    case 'random':
      return `${backbone(spec.backbone)}, random initialisation (no training)${randomInput(spec)}`;
    case 'byol-run':
      return `encoder trained by selfsup-byol in ${spec.path}`;
    case 'torchvision':
      return `${backbone(spec.backbone)}, weights from ${spec.path}`;
    case 'onnx':
      return `ONNX model ${spec.path} (frozen; run by onnxruntime-node)`;
    case 'byol':
    case 'supervised': {
      const p = spec.pretrain;
      const how = spec.from === 'byol' ? 'BYOL self-supervised' : 'supervised (labels)';
      return `${backbone(spec.backbone)}, ${how} pretraining on ${p.dataset}${p.limit ? ` (${p.limit} images)` : ''} for ${p.epochs} epochs${p.scheduleEpochs && p.scheduleEpochs > p.epochs ? ` of a ${p.scheduleEpochs}-epoch schedule` : ''}, batch ${p.batchSize}`;
    }
  }
}

/** `@selfsup/ssl-bench`'s version, from its package.json (one level above `dist/`, two above `src/report/`). */
export function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name: string; version: string };
      if (pkg.name === '@selfsup/ssl-bench') return pkg.version;
    } catch {
      // Try the next level.
    }
  }
  return 'unknown';
}

/** A loaded dataset's sizes as the report lists them. */
export function datasetSizes(d: BenchDataset): ReportContext['datasets'][string] {
  return {
    train: d.train.shape[0],
    ...(d.val ? { val: d.val.shape[0] } : {}),
    test: d.test.shape[0],
    classes: d.train.classes.length,
  };
}

export function buildContext(
  config: BenchConfig,
  datasets: ReportContext['datasets'],
  backend: string,
  date = new Date(),
): ReportContext {
  const { baseDir: _baseDir, ...rest } = config;
  return {
    datasets,
    encoders: Object.fromEntries(config.encoders.map((e) => [e.name, describeEncoder(e)])),
    randomInit: config.encoders.filter((e) => e.from === 'random').map((e) => e.name),
    config: rest,
    backend,
    version: packageVersion(),
    date: date.toISOString(),
  };
}
