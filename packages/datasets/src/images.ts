import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { assertResizeSpec, decodeImage, type DecodedImage, type ResizeSpec } from './decode-image';
import type { ImageDataset } from './image-dataset';
import { mapWithConcurrency } from './pool';
import { filesBelow } from './walk-files';
import { MixedImageSizesError } from './mixed-image-sizes-error';

/** Extensions sharp's prebuilt libvips decodes; anything else is not even opened. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];

export interface LoadImagesOptions {
  /** Include images in sub-folders (default true). */
  recursive?: boolean;
  /** Resize on load, as `loadImageFolder`'s `size`. Required when the files differ in size. */
  size?: ResizeSpec;
  /** 1 or 3 (default 3: every image as sRGB). */
  channels?: 1 | 3;
  /** An image file that cannot be decoded: `'throw'` (default) or `'skip'` (reported once through `log`). */
  onError?: 'throw' | 'skip';
  /** After each image: (images done, image files in total, non-image files skipped). */
  onProgress?: (done: number, total: number, skippedFiles: number) => void;
  /** Where skipped images are reported; default `console.warn`. */
  log?: (message: string) => void;
  /** Files decoded at once; default 8. */
  concurrency?: number;
}

/** Unlabelled images: an ImageDataset with one class, plus where each image came from. */
export interface LoadedImages extends ImageDataset {
  /** File of each image, in dataset order. */
  paths: string[];
  /** Files left out because their extension is not an image's (README.txt, .DS_Store, ...). */
  skippedFiles: string[];
  /** Image files that could not be decoded (only with `onError: 'skip'`). */
  badImages: string[];
}

/** The class every image of `loadImages` gets (labels are not used). */
export const UNLABELLED = 'unlabelled';

/**
 * Every image under `dir` (sub-folders included unless `recursive: false`), no
 * structure needed and labels unused: what self-supervised pretraining or
 * embedding a folder of photos takes. Files are taken in sorted path order;
 * non-image files are skipped by extension and counted, dotfiles ignored.
 */
export async function loadImages(dir: string, options: LoadImagesOptions = {}): Promise<LoadedImages> {
  const { recursive = true, size, channels = 3, onError = 'throw', onProgress, log = console.warn } = options;
  const concurrency = options.concurrency ?? 8;
  assertResizeSpec(size, 'loadImages');
  if (channels !== 1 && channels !== 3)
    throw new Error(`loadImages: channels must be 1 or 3, got ${JSON.stringify(channels)}`);
  if (onError !== 'throw' && onError !== 'skip')
    throw new Error(`loadImages: onError must be 'throw' or 'skip', got ${JSON.stringify(onError)}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`loadImages: concurrency must be a positive integer, got ${concurrency}`);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`loadImages: ${dir} is not a folder`);

  const all = await filesBelow(dir, recursive);
  const isImage = (p: string) => IMAGE_EXTENSIONS.includes(extname(p).toLowerCase());
  const files = all.filter(isImage);
  const skippedFiles = all.filter((p) => !isImage(p));
  if (files.length === 0) {
    throw new Error(
      `loadImages: no image file (${IMAGE_EXTENSIONS.join(', ')}) ${recursive ? 'under' : 'in'} ${dir}` +
        (skippedFiles.length ? ` (${skippedFiles.length} other files skipped)` : ''),
    );
  }
  let done = 0;
  // Errors are collected in the pool and handled in file order, so reports are the same every run.
  const decoded = await mapWithConcurrency(files, concurrency, async (path): Promise<DecodedImage | Error> => {
    const image = await decodeImage(path, { size, channels }).catch(
      (err: unknown) => new Error(`loadImages: cannot decode ${path}: ${(err as Error).message}`),
    );
    onProgress?.(++done, files.length, skippedFiles.length);
    return image;
  });
  const badImages: string[] = [];
  const kept: { image: DecodedImage; path: string }[] = [];
  decoded.forEach((d, i) => {
    if (!(d instanceof Error)) kept.push({ image: d, path: files[i] });
    else if (onError === 'throw') throw d;
    else {
      badImages.push(files[i]);
      log(`${d.message}; skipped`);
    }
  });
  if (kept.length === 0) throw new Error(`loadImages: no decodable image under ${dir}`);
  const { height, width } = kept[0].image;
  const bytes = height * width * channels;
  const images = new Uint8Array(kept.length * bytes);
  kept.forEach(({ image, path }, k) => {
    if (image.height !== height || image.width !== width) {
      throw new MixedImageSizesError(
        `loadImages: ${path} is ${image.height}x${image.width}, but ${kept[0].path} is ${height}x${width}; ` +
          'pass options.size to resize every image on load',
      );
    }
    images.set(image.pixels, k * bytes);
  });
  return {
    images,
    labels: new Int32Array(kept.length),
    shape: [kept.length, height, width, channels],
    classes: [UNLABELLED],
    paths: kept.map((k) => k.path),
    skippedFiles,
    badImages,
  };
}
