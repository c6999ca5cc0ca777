import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DatasetFormat, type ImageDataset, loadDataset } from '@selfsup/datasets/node';
import { createCountProgress } from './count-progress';

export interface LoadDataOptions {
  data: string;
  format: DatasetFormat;
  /** null: train (folder formats: `<data>/train` if it exists, else `<data>` itself, e.g. a flat folder of photos). */
  split: string | null;
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

/** The folder formats without a named split read `<data>/train` when there is one, else the folder itself. */
function defaultSplit(data: string, format: DatasetFormat): string | undefined {
  const folder = format === 'imagefolder' || format === 'images';
  return folder && !existsSync(join(data, 'train')) ? undefined : 'train';
}

/** The training data named by the CLI's options, as RGB: `loadDataset` of @selfsup/datasets under the CLI's names. */
export async function loadData(options: LoadDataOptions): Promise<ImageDataset> {
  const { data, format, limit, imageSize, seed } = options;
  const split = options.split ?? defaultSplit(data, format);
  const reading = format === 'images' ? createCountProgress(process.stderr, 'reading images') : undefined;
  const plural = (n: number) => `${n} non-image file${n === 1 ? '' : 's'} skipped`;
  try {
    return await loadDataset(
      { format, path: data, split, size: imageSize, limit: limit ?? undefined, seed },
      {
        onError: options.skipBadImages ? 'skip' : 'throw',
        log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
        onProgress:
          reading && ((done, total, skipped) => reading.update(done, total, skipped ? plural(skipped) : undefined)),
      },
    );
  } finally {
    reading?.close();
  }
}
