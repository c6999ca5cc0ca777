import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCifar, loadIdx, loadImageFolder, loadImages, subset, toRgb, type ImageDataset } from '@selfsup/datasets';
import type { TrainCliConfig } from './cli-args';
import { idxSplits, splitFolder } from './resolve-split';
import { createCountProgress } from './count-progress';

export interface LoadDataOptions {
  data: string;
  format: TrainCliConfig['format'];
  /** null: `train` (folder formats: `<data>/train` if it exists, else `<data>` itself). */
  split: string | null;
  /** The flag that named the split, for error messages (default `--split`). */
  splitFlag?: string;
  /** Skip image files that cannot be decoded (each reported once through `log`) instead of failing. */
  skipBadImages?: boolean;
  /** Where notes go: skipped files, bad images. */
  log?: (line: string) => void;
  /** Keep a seeded class-balanced subset of about this many images (rounded down to whole classes). */
  limit?: number | null;
  /** ImageFolder files are resized (shorter side) and centre-cropped to this side on load. */
  imageSize?: number;
  seed?: number;
}

function idxFile(dir: string, split: string, kind: 'images-idx3' | 'labels-idx1', flag: string): string {
  // The MNIST family calls its test split t10k.
  const base = join(dir, `${split === 'test' ? 't10k' : split}-${kind}-ubyte`);
  const found = [base, `${base}.gz`].find((p) => existsSync(p));
  if (!found) {
    const splits = idxSplits(dir);
    throw new Error(
      `${flag} ${split}: there is no ${base}[.gz]; ` +
        (splits.length ? `the splits in ${dir} are: ${splits.join(', ')}` : `${dir} holds no IDX images file`),
    );
  }
  return found;
}

async function loadFormat(options: LoadDataOptions): Promise<ImageDataset> {
  const { data, format, imageSize, splitFlag = '--split' } = options;
  const split = options.split ?? 'train';
  const onError = options.skipBadImages ? 'skip' : 'throw';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  switch (format) {
    case 'cifar': {
      if (split !== 'train' && split !== 'test')
        throw new Error(`${splitFlag} must be train or test for --format cifar, got '${split}'`);
      const variant =
        existsSync(join(data, 'cifar-100-binary')) || existsSync(join(data, 'train.bin')) ? 'cifar100' : 'cifar10';
      return loadCifar(data, { variant, split });
    }
    case 'idx':
      return loadIdx(idxFile(data, split, 'images-idx3', splitFlag), idxFile(data, split, 'labels-idx1', splitFlag));
    case 'imagefolder': {
      const dir = splitFolder(data, options.split, splitFlag);
      return loadImageFolder(dir, { size: imageSize, channels: 3, onError, log });
    }
    case 'images': {
      const dir = splitFolder(data, options.split, splitFlag);
      const reading = createCountProgress(process.stderr, 'reading images');
      const skippedNote = (n: number) => (n ? `${n} non-image file${n === 1 ? '' : 's'} skipped` : undefined);
      const ds = await loadImages(dir, {
        size: imageSize,
        channels: 3,
        onError,
        log,
        onProgress: (done, total, skipped) => reading.update(done, total, skippedNote(skipped)),
      }).finally(() => reading.close());
      if (ds.skippedFiles.length) {
        const names = ds.skippedFiles.slice(0, 3).map((p) => p.slice(dir.length + 1));
        log(
          `skipped ${ds.skippedFiles.length} non-image file${ds.skippedFiles.length === 1 ? '' : 's'} in ${dir} ` +
            `(${names.join(', ')}${ds.skippedFiles.length > 3 ? ', ...' : ''})`,
        );
      }
      return ds;
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
