import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkPositiveInteger, checkSeed } from '@selfsup/runtime';
import { type CifarVariant, loadCifar } from './cifar';
import type { ImageDataset } from './image-dataset';
import { loadIdx } from './idx';
import { loadImageFolder } from './image-folder';
import { loadImages } from './images';
import { idxSplits, splitFolder } from './split-folder';
import { subset } from './subset';
import { toRgb } from './to-rgb';

/** The on-disk formats `loadDataset` reads (the list CLIs and configs offer). */
export const DATASET_FORMATS = ['cifar', 'idx', 'imagefolder', 'images'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One dataset split on disk, by format, and what to keep of it. */
export interface DatasetSpec {
  format: DatasetFormat;
  /**
   * The folder: IDX files (`train-images-idx3-ubyte[.gz]`, ...), the CIFAR binary
   * folder or its parent, an ImageFolder root (or its parent with one folder per split), or
   * (`images`) any folder of images, sub-folders included, as one unlabelled class.
   */
  path?: string;
  /** IDX only: the two files, instead of `path` + `split`. */
  images?: string;
  labels?: string;
  /**
   * 'train' (default), 'test', ... IDX reads `<split>-…` files (the MNIST family
   * calls its test split `t10k`); CIFAR has 'train' and 'test'; the folder formats
   * read `<path>/<split>` (an error listing the sub-folders when it does not exist),
   * or `path` itself when no split is named.
   */
  split?: string;
  /** CIFAR only: detected from the folder when omitted (CIFAR-100's `cifar-100-binary` / `train.bin`). */
  variant?: CifarVariant;
  /** Folder formats: files are resized (shorter side) and centre-cropped to this side. */
  size?: number;
  /** Keep a seeded class-balanced subset of this many images per class. */
  perClass?: number;
  /** Keep a seeded class-balanced subset of about this many images (rounded down to whole classes). */
  limit?: number;
  /** Seed of the subset (default 0). */
  seed?: number;
  /** Convert grayscale to 3 channels (default true), so every format feeds the same encoders. */
  rgb?: boolean;
}

/** How the folder formats read files; no effect on the others. */
export interface LoadDatasetOptions {
  /** An image that cannot be decoded: `'throw'` (default) or `'skip'` (reported once through `log`). */
  onError?: 'throw' | 'skip';
  /** Where skipped images and (format `images`) skipped non-image files are reported; default `console.warn`. */
  log?: (message: string) => void;
  /** After each file: (files done, files in total, non-image files skipped). */
  onProgress?: (done: number, total: number, skippedFiles: number) => void;
}

const FN = 'loadDataset';

function idxFile(dir: string, split: string, kind: 'images-idx3' | 'labels-idx1'): string {
  // The MNIST family calls its test split t10k.
  const base = join(dir, `${split === 'test' ? 't10k' : split}-${kind}-ubyte`);
  const found = [base, `${base}.gz`].find((p) => existsSync(p));
  if (!found) {
    const splits = idxSplits(dir);
    throw new Error(
      `${FN}: split '${split}': there is no ${base}[.gz]; ` +
        (splits.length ? `the splits in ${dir} are: ${splits.join(', ')}` : `${dir} holds no IDX images file`),
    );
  }
  return found;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** CIFAR-100's folder and file names differ from CIFAR-10's; look for them. */
export function detectCifarVariant(dir: string): CifarVariant {
  return existsSync(join(dir, 'cifar-100-binary')) || existsSync(join(dir, 'train.bin')) ? 'cifar100' : 'cifar10';
}

function needPath(spec: DatasetSpec): string {
  const { path } = spec;
  if (typeof path !== 'string' || path === '')
    throw new Error(`${FN}: path must name a folder for format '${spec.format}', got ${JSON.stringify(path)}`);
  if (!existsSync(path)) throw new Error(`${FN}: path ${path} does not exist`);
  return path;
}

async function loadFormat(spec: DatasetSpec, options: LoadDatasetOptions): Promise<ImageDataset> {
  const split = spec.split ?? 'train';
  switch (spec.format) {
    case 'cifar': {
      const path = needPath(spec);
      if (split !== 'train' && split !== 'test')
        throw new Error(`${FN}: split must be 'train' or 'test' for format 'cifar', got '${split}'`);
      return loadCifar(path, { variant: spec.variant ?? detectCifarVariant(path), split });
    }
    case 'idx': {
      if (spec.images !== undefined || spec.labels !== undefined) {
        if (typeof spec.images !== 'string' || typeof spec.labels !== 'string')
          throw new Error(`${FN}: images and labels must both name IDX files`);
        return loadIdx(spec.images, spec.labels);
      }
      const path = needPath(spec);
      return loadIdx(idxFile(path, split, 'images-idx3'), idxFile(path, split, 'labels-idx1'));
    }
    case 'imagefolder': {
      const dir = splitFolder(FN, needPath(spec), spec.split);
      const { onError, log, onProgress } = options;
      return loadImageFolder(dir, {
        size: spec.size,
        channels: 3,
        onError,
        log,
        onProgress: onProgress && ((done, total) => onProgress(done, total, 0)),
      });
    }
    case 'images': {
      const dir = splitFolder(FN, needPath(spec), spec.split);
      const { log = console.warn } = options;
      const ds = await loadImages(dir, { ...options, size: spec.size, channels: 3, log });
      const skipped = ds.skippedFiles;
      if (skipped.length) {
        const names = skipped.slice(0, 3).map((p) => p.slice(dir.length + 1));
        log(
          `skipped ${plural(skipped.length, 'non-image file')} in ${dir} (${names.join(', ')}${skipped.length > 3 ? ', ...' : ''})`,
        );
      }
      return ds;
    }
    default:
      throw new Error(`${FN}: format must be one of ${DATASET_FORMATS.join(', ')}, got ${JSON.stringify(spec.format)}`);
  }
}

/**
 * Load one split of a dataset by format, optionally as a seeded class-balanced
 * subset (`perClass` or `limit`), as RGB unless `rgb: false`. The one loader
 * behind the CLIs and the benchmark; `options` say how the folder formats treat
 * bad files and report progress.
 */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions = {}): Promise<ImageDataset> {
  if (spec == null || typeof spec !== 'object') throw new Error(`${FN}: spec must be an object, got ${String(spec)}`);
  const seed = spec.seed === undefined ? 0 : checkSeed(FN, spec.seed);
  let ds = await loadFormat(spec, options);
  let perClass = spec.perClass === undefined ? undefined : checkPositiveInteger(FN, 'perClass', spec.perClass);
  if (spec.limit != null) {
    checkPositiveInteger(FN, 'limit', spec.limit);
    perClass = Math.floor(spec.limit / ds.classes.length);
    if (perClass < 1)
      throw new Error(`${FN}: limit ${spec.limit} is below one image per class (${ds.classes.length} classes)`);
  }
  if (perClass !== undefined) ds = subset(ds, perClass, seed);
  return spec.rgb === false ? ds : toRgb(ds);
}
