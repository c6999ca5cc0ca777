import { type DatasetFormat, type ImageDataset, loadDataset } from '@selfsup/datasets/node';

export interface LoadDataOptions {
  data: string;
  format: DatasetFormat;
  split: string;
  /** Keep a seeded class-balanced subset of about this many images (rounded down to whole classes). */
  limit?: number | null;
  /** ImageFolder files are resized (shorter side) and centre-cropped to this side on load. */
  imageSize?: number;
  seed?: number;
}

/** The training data named by the CLI's options, as RGB: `loadDataset` of @selfsup/datasets under the CLI's names. */
export function loadData({ data, format, split, limit, imageSize, seed }: LoadDataOptions): Promise<ImageDataset> {
  return loadDataset({ format, path: data, split, size: imageSize, limit: limit ?? undefined, seed });
}
