import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertResizeSpec, decodeImage, nativeChannels, type DecodedImage, type ResizeSpec } from './decode-image';
import type { ImageDataset } from './image-dataset';
import { mapWithConcurrency } from './pool';
import { filesBelow } from './walk-files';
import { MixedImageSizesError } from './mixed-image-sizes-error';

export interface LoadImageFolderOptions {
  /** Resize on load: `n` = shorter side to n then centre crop n x n (torchvision `Resize(n)` + `CenterCrop(n)`); `[h, w]` = exactly h x w. Required when files differ in size. */
  size?: ResizeSpec;
  /** 1 or 3; default: the first file's own (1 for grayscale files, else 3). */
  channels?: 1 | 3;
  /** What a file that cannot be decoded does: `'throw'` (default) or `'skip'` (reported through `log`). */
  onError?: 'throw' | 'skip';
  /** Called after each file with (files done, files in total). */
  onProgress?: (done: number, total: number) => void;
  /** Where skipped files are reported; default `console.warn`. */
  log?: (message: string) => void;
  /** Files decoded at once; default 8. */
  concurrency?: number;
}

interface ImageFile {
  path: string;
  label: number;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function listFiles(dir: string): Promise<{ classes: string[]; files: ImageFile[] }> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(`loadImageFolder: cannot read dir ${dir}: ${(err as Error).message}`);
  }
  // Sorted by code point, as Python's sorted() in torchvision's ImageFolder, so labels agree.
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
  if (classes.length === 0)
    throw new Error(`loadImageFolder: dir ${dir} has no class sub-folders (expected dir/<class>/<image>)`);
  const files: ImageFile[] = [];
  for (const [label, name] of classes.entries()) {
    for (const path of await filesBelow(join(dir, name))) files.push({ path, label });
  }
  return { classes, files };
}

/**
 * Load `dir/<class>/<image>` (JPEG, PNG, WebP, ... anything sharp decodes) into
 * one ImageDataset. Classes are the sub-folder names sorted by code point;
 * files (sub-folders of a class included) are taken in sorted order. Dotfiles
 * are ignored; any other file that is not an image is an error naming it (or,
 * with `onError: 'skip'`, is logged and left out).
 */
export async function loadImageFolder(dir: string, options: LoadImageFolderOptions = {}): Promise<ImageDataset> {
  const { size, onError = 'throw', onProgress, log = console.warn, concurrency = 8 } = options;
  assertResizeSpec(size, 'loadImageFolder');
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw new Error(`loadImageFolder: channels must be 1 or 3, got ${JSON.stringify(options.channels)}`);
  }
  if (onError !== 'throw' && onError !== 'skip')
    throw new Error(`loadImageFolder: onError must be 'throw' or 'skip', got ${JSON.stringify(onError)}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`loadImageFolder: concurrency must be a positive integer, got ${concurrency}`);

  const { classes, files } = await listFiles(dir);
  const failed = (file: ImageFile, index: number, err: unknown) =>
    new Error(
      `loadImageFolder: cannot decode ${file.path} (file ${index}, class '${classes[file.label]}'): ${(err as Error).message}`,
    );
  const skipOrThrow = (error: Error): undefined => {
    if (onError === 'throw') throw error;
    log(`${error.message}; skipped`);
    return undefined;
  };

  let channels = options.channels;
  for (let i = 0; channels === undefined && i < files.length; i++) {
    channels = await nativeChannels(files[i].path).catch((err) => skipOrThrow(failed(files[i], i, err)));
  }
  if (channels === undefined) throw new Error(`loadImageFolder: no decodable image in ${dir}`);

  let done = 0;
  // Failures are collected, not thrown, inside the pool: which file fails first in time depends on
  // scheduling, so errors are reported (or the first one thrown) in file order, the same every run.
  const decoded = await mapWithConcurrency(files, concurrency, async (file, index): Promise<DecodedImage | Error> => {
    const image = await decodeImage(file.path, { size, channels }).catch((err: unknown) => failed(file, index, err));
    onProgress?.(++done, files.length);
    return image;
  });
  return assemble(
    decoded.map((d) => (d instanceof Error ? skipOrThrow(d) : d)),
    files,
    classes,
    dir,
  );
}

/** Pack the decoded images (undefined = skipped) into one NHWC buffer; all must share one size. */
function assemble(
  decoded: (DecodedImage | undefined)[],
  files: ImageFile[],
  classes: string[],
  dir: string,
): ImageDataset {
  const kept = decoded.flatMap((image, index) => (image ? [{ image, index }] : []));
  if (kept.length === 0) throw new Error(`loadImageFolder: no decodable image in ${dir}`);
  const { height, width, channels } = kept[0].image;
  const size = height * width * channels;
  const images = new Uint8Array(kept.length * size);
  const labels = new Int32Array(kept.length);
  kept.forEach(({ image, index }, k) => {
    if (image.height !== height || image.width !== width) {
      throw new MixedImageSizesError(
        `loadImageFolder: ${files[index].path} (file ${index}) is ${image.height}x${image.width}, but ${files[kept[0].index].path} is ${height}x${width}; ` +
          'pass options.size to resize every image on load',
      );
    }
    images.set(image.pixels, k * size);
    labels[k] = files[index].label;
  });
  return { images, labels, shape: [kept.length, height, width, channels], classes };
}
