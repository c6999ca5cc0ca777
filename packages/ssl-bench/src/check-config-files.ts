import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { readRunConfig } from '@selfsup/byol/node';
import { IMAGE_EXTENSIONS } from '@selfsup/datasets/node';
import type { BenchConfig, DatasetSpec, SplitSource } from './config-schema';

/** What a config points at, checked before anything runs: every problem at once, and warnings. */
export interface ConfigFileCheck {
  problems: string[];
  warnings: string[];
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

function classSizes(dir: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const images = readdirSync(join(dir, e.name)).filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()));
    sizes.set(e.name, images.length);
  }
  return sizes;
}

const CIFAR_FILES = { train: 'data_batch_1.bin', test: 'test_batch.bin' };

function checkSplit(
  spec: DatasetSpec,
  which: 'train' | 'val' | 'test',
  source: SplitSource,
  at: (p: string) => string,
  problems: string[],
): void {
  const where = `datasets[${spec.name}].${which}`;
  if (spec.format === 'idx') {
    const { images, labels } = source as { images: string; labels: string };
    for (const [key, file] of [
      ['images', images],
      ['labels', labels],
    ] as const) {
      if (!existsSync(at(file))) problems.push(`${where}.${key}: ${at(file)} does not exist`);
    }
    return;
  }
  const dir = at(source as string);
  if (!existsSync(dir)) {
    problems.push(`${where}: ${dir} does not exist`);
    return;
  }
  if (!isDir(dir)) {
    problems.push(`${where}: ${dir} is not a folder`);
    return;
  }
  if (spec.format === 'cifar') {
    const file = CIFAR_FILES[which === 'test' ? 'test' : 'train'];
    if (![join(dir, file), join(dir, 'cifar-10-batches-bin', file)].some((p) => existsSync(p)))
      problems.push(
        `${where}: ${dir} holds no ${file} (CIFAR-10 binary batches, or their cifar-10-batches-bin folder)`,
      );
    return;
  }
  const sizes = classSizes(dir);
  if (sizes.size === 0) {
    problems.push(`${where}: ${dir} has no class sub-folders (expected ${dir}/<class>/<image>)`);
    return;
  }
  const empty = [...sizes].filter(([, n]) => n === 0).map(([c]) => c);
  if (empty.length) problems.push(`${where}: class folders without images in ${dir}: ${empty.join(', ')}`);
  const want = spec.perClass?.[which];
  const [smallest, count] = [...sizes].reduce((a, b) => (b[1] < a[1] ? b : a));
  if (want !== undefined && count < want)
    problems.push(
      `datasets[${spec.name}].perClass.${which}: ${want} images per class, but class '${smallest}' in ${dir} has ${count}`,
    );
}

/**
 * Check every path, split folder, dataset layout and `byol-run` folder of a
 * validated config, so a mistake is reported before the first cell runs, not
 * after an hour. Also warns when a trained encoder is evaluated at another
 * image size than it was trained at.
 */
export function checkConfigFiles(config: BenchConfig): ConfigFileCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const at = (p: string) => (isAbsolute(p) ? p : resolve(config.baseDir, p));
  for (const spec of config.datasets) {
    checkSplit(spec, 'train', spec.train, at, problems);
    checkSplit(spec, 'test', spec.test, at, problems);
    if (spec.val) checkSplit(spec, 'val', spec.val, at, problems);
    if (spec.size !== undefined && spec.size !== config.imageSize)
      warnings.push(
        `datasets[${spec.name}].size ${spec.size} differs from imageSize ${config.imageSize}: images are loaded at ${spec.size}px`,
      );
  }
  for (const e of config.encoders) {
    const where = `encoders[${e.name}]`;
    if (e.from === 'byol-run') {
      const dir = at(e.path);
      try {
        const run = readRunConfig(dir);
        if (!existsSync(join(dir, 'encoder.safetensors')))
          problems.push(`${where}.path: ${dir} has no encoder.safetensors yet (written at the run's first checkpoint)`);
        const trainedAt = run.imageSize ?? 32;
        if (trainedAt !== config.imageSize)
          warnings.push(
            `${where}: trained on ${trainedAt}px images, evaluated at imageSize ${config.imageSize}px (features may be worse)`,
          );
      } catch (err) {
        problems.push(`${where}.path: ${(err as Error).message}`);
      }
    } else if (e.from === 'torchvision' || e.from === 'onnx') {
      const file = at(e.path);
      const kind = e.from === 'onnx' ? '.onnx' : '.safetensors';
      if (!existsSync(file)) problems.push(`${where}.path: ${file} does not exist`);
      else if (isDir(file)) problems.push(`${where}.path: ${file} is a folder; expected a ${kind} file`);
    }
  }
  return { problems, warnings };
}
