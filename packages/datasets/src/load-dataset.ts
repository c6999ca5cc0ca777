import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkPositiveInteger, checkSeed } from '@selfsup/runtime';
import { type CifarVariant, loadCifar } from './cifar';
import type { ImageDataset } from './image-dataset';
import { loadIdx } from './idx';
import { loadImageFolder } from './image-folder';
import { subset } from './subset';
import { toRgb } from './to-rgb';

/** The on-disk formats `loadDataset` reads (the list CLIs and configs offer). */
export const DATASET_FORMATS = ['cifar', 'idx', 'imagefolder'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One dataset split on disk, by format, and what to keep of it. */
export interface DatasetSpec {
  format: DatasetFormat;
  /**
   * The folder: IDX files (`train-images-idx3-ubyte[.gz]`, ...), the CIFAR binary
   * folder or its parent, or an ImageFolder root (or its parent with one folder per split).
   */
  path?: string;
  /** IDX only: the two files, instead of `path` + `split`. */
  images?: string;
  labels?: string;
  /**
   * 'train' (default), 'test', ... IDX reads `<split>-…` files (the MNIST family
   * calls its test split `t10k`); CIFAR has 'train' and 'test'; an ImageFolder
   * uses the subfolder of that name when there is one, else `path` itself.
   */
  split?: string;
  /** CIFAR only: detected from the folder when omitted (CIFAR-100's `cifar-100-binary` / `train.bin`). */
  variant?: CifarVariant;
  /** ImageFolder only: files are resized (shorter side) and centre-cropped to this side. */
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

const FN = 'loadDataset';

function idxFile(dir: string, prefix: string, kind: 'images-idx3' | 'labels-idx1'): string {
  const base = join(dir, `${prefix}-${kind}-ubyte`);
  const found = [base, `${base}.gz`].find((p) => existsSync(p));
  if (!found) throw new Error(`${FN}: no ${base}[.gz] (split '${prefix}' in ${dir})`);
  return found;
}

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

function loadFormat(spec: DatasetSpec): Promise<ImageDataset> {
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
      const prefix = split === 'test' ? 't10k' : split;
      return loadIdx(idxFile(path, prefix, 'images-idx3'), idxFile(path, prefix, 'labels-idx1'));
    }
    case 'imagefolder': {
      const path = needPath(spec);
      const dir = spec.split !== undefined && existsSync(join(path, spec.split)) ? join(path, spec.split) : path;
      return loadImageFolder(dir, { size: spec.size, channels: 3 });
    }
    default:
      throw new Error(`${FN}: format must be one of ${DATASET_FORMATS.join(', ')}, got ${JSON.stringify(spec.format)}`);
  }
}

/**
 * Load one split of a dataset by format, optionally as a seeded class-balanced
 * subset (`perClass` or `limit`), as RGB unless `rgb: false`. The one loader
 * behind the CLIs and the benchmark.
 */
export async function loadDataset(spec: DatasetSpec): Promise<ImageDataset> {
  if (spec == null || typeof spec !== 'object') throw new Error(`${FN}: spec must be an object, got ${String(spec)}`);
  const seed = spec.seed === undefined ? 0 : checkSeed(FN, spec.seed);
  let ds = await loadFormat(spec);
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
