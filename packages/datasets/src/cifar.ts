import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageDataset } from './image-dataset';

export type CifarVariant = 'cifar10' | 'cifar100';

export interface LoadCifarOptions {
  variant: CifarVariant;
  split: 'train' | 'test';
  /** CIFAR-100 only: the 100 fine classes (default) or the 20 superclasses. */
  labels?: 'fine' | 'coarse';
}

const SIDE = 32;
const PIXELS = SIDE * SIDE;

// Layout from https://www.cs.toronto.edu/~kriz/cifar.html ("Binary version"):
// each record is the label byte(s) then 3072 pixel bytes, the red plane, then
// green, then blue, each row-major 32x32. CIFAR-100 records carry the coarse
// label byte, then the fine one.
const LAYOUT = {
  cifar10: {
    folder: 'cifar-10-batches-bin',
    files: {
      train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
      test: ['test_batch.bin'],
    },
    labelBytes: 1,
  },
  cifar100: {
    folder: 'cifar-100-binary',
    files: { train: ['train.bin'], test: ['test.bin'] },
    labelBytes: 2,
  },
} as const;

// The official label order, used when the archive's name file is absent.
const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Read a name list (one per line, blank lines dropped), or undefined when the file is absent. */
async function readNames(path: string): Promise<string[] | undefined> {
  if (!existsSync(path)) return undefined;
  return (await readFile(path, 'utf8'))
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Load the official CIFAR-10/100 binary batches. `dir` is the extracted folder
 * (`cifar-10-batches-bin` / `cifar-100-binary`) or the folder that holds it.
 * Class names come from `batches.meta.txt` / `fine_label_names.txt` /
 * `coarse_label_names.txt` when present.
 */
export async function loadCifar(dir: string, options: LoadCifarOptions): Promise<ImageDataset> {
  const layout = LAYOUT[options?.variant];
  if (!layout)
    throw new Error(
      `loadCifar: options.variant must be 'cifar10' or 'cifar100', got ${JSON.stringify(options?.variant)}`,
    );
  const files = layout.files[options.split];
  if (!files)
    throw new Error(`loadCifar: options.split must be 'train' or 'test', got ${JSON.stringify(options.split)}`);
  const labelKind = options.labels ?? 'fine';
  if (labelKind !== 'fine' && labelKind !== 'coarse') {
    throw new Error(`loadCifar: options.labels must be 'fine' or 'coarse', got ${JSON.stringify(options.labels)}`);
  }
  if (options.variant === 'cifar10' && labelKind === 'coarse')
    throw new Error(`loadCifar: options.labels 'coarse' exists only for cifar100`);
  const root = existsSync(join(dir, layout.folder)) ? join(dir, layout.folder) : dir;

  const classes =
    options.variant === 'cifar10'
      ? ((await readNames(join(root, 'batches.meta.txt'))) ?? CIFAR10_CLASSES)
      : ((await readNames(join(root, `${labelKind}_label_names.txt`))) ??
        Array.from({ length: labelKind === 'fine' ? 100 : 20 }, (_, i) => String(i)));
  // CIFAR-100 records: [coarse, fine, pixels...].
  const labelOffset = options.variant === 'cifar100' && labelKind === 'fine' ? 1 : 0;
  const recordBytes = layout.labelBytes + 3 * PIXELS;

  const contents = await Promise.all(
    files.map(async (name) => {
      const path = join(root, name);
      if (!existsSync(path))
        throw new Error(
          `loadCifar: ${path} not found (expected the official ${options.variant} ${options.split} batch)`,
        );
      // Node refuses files over 2 GiB (an official batch is 30 MB) with a message that omits the path.
      const bytes = await readFile(path).catch((err: Error) => {
        throw new Error(`${path}: cannot read: ${err.message}`);
      });
      if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
        throw new Error(
          `${path}: ${bytes.length} bytes is not a whole number of ${recordBytes}-byte ${options.variant} records ` +
            `(truncated or corrupt; record ${Math.floor(bytes.length / recordBytes)} is incomplete)`,
        );
      }
      return { path, bytes };
    }),
  );
  const n = contents.reduce((sum, c) => sum + c.bytes.length / recordBytes, 0);
  const images = new Uint8Array(n * PIXELS * 3);
  const labels = new Int32Array(n);
  let i = 0;
  for (const { path, bytes } of contents) {
    for (let r = 0; r * recordBytes < bytes.length; r++, i++) {
      const record = r * recordBytes;
      const label = bytes[record + labelOffset];
      if (label >= classes.length) {
        throw new Error(
          `${path}: record ${r} has label ${label}, outside [0, ${classes.length}) for ${options.variant} ${labelKind} labels`,
        );
      }
      labels[i] = label;
      // Planar CHW on disk -> interleaved HWC in memory.
      const pixels = record + layout.labelBytes;
      const out = i * PIXELS * 3;
      for (let p = 0; p < PIXELS; p++) {
        images[out + 3 * p] = bytes[pixels + p];
        images[out + 3 * p + 1] = bytes[pixels + PIXELS + p];
        images[out + 3 * p + 2] = bytes[pixels + 2 * PIXELS + p];
      }
    }
  }
  return { images, labels, shape: [n, SIDE, SIDE, 3], classes };
}
