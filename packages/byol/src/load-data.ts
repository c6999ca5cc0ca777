import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCifar, loadIdx, loadImageFolder, subset, toRgb, type ImageDataset } from '@selfsup/datasets/node';
import type { TrainCliConfig } from './cli-args';

export interface LoadDataOptions {
  data: string;
  format: TrainCliConfig['format'];
  split: string;
  /** Keep a seeded class-balanced subset of about this many images (rounded down to whole classes). */
  limit?: number | null;
  /** ImageFolder files are resized (shorter side) and centre-cropped to this side on load. */
  imageSize?: number;
  seed?: number;
}

function idxFile(dir: string, prefix: string, kind: 'images-idx3' | 'labels-idx1'): string {
  const base = join(dir, `${prefix}-${kind}-ubyte`);
  const found = [base, `${base}.gz`].find((p) => existsSync(p));
  if (!found) throw new Error(`--data ${dir}: no ${base}[.gz] for --split`);
  return found;
}

async function loadFormat({ data, format, split, imageSize }: LoadDataOptions): Promise<ImageDataset> {
  switch (format) {
    case 'cifar': {
      if (split !== 'train' && split !== 'test')
        throw new Error(`--split must be train or test for --format cifar, got '${split}'`);
      const variant =
        existsSync(join(data, 'cifar-100-binary')) || existsSync(join(data, 'train.bin')) ? 'cifar100' : 'cifar10';
      return loadCifar(data, { variant, split });
    }
    case 'idx': {
      // The MNIST family calls its test split t10k.
      const prefix = split === 'test' ? 't10k' : split;
      return loadIdx(idxFile(data, prefix, 'images-idx3'), idxFile(data, prefix, 'labels-idx1'));
    }
    case 'imagefolder': {
      const dir = existsSync(join(data, split)) ? join(data, split) : data;
      return loadImageFolder(dir, { size: imageSize, channels: 3 });
    }
  }
}

/** Load the dataset named by the CLI flags as RGB, optionally a balanced subset. */
export async function loadData(options: LoadDataOptions): Promise<ImageDataset> {
  if (!existsSync(options.data)) throw new Error(`--data ${options.data} does not exist`);
  let ds = await loadFormat(options);
  if (options.limit != null) {
    const perClass = Math.floor(options.limit / ds.classes.length);
    if (perClass < 1)
      throw new Error(`--limit ${options.limit} is below one image per class (${ds.classes.length} classes)`);
    ds = subset(ds, perClass, options.seed ?? 0);
  }
  return toRgb(ds);
}
