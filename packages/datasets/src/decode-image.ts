import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/** `n`: resize the shorter side to n and centre-crop n x n; `[h, w]`: resize to exactly h x w (aspect ratio not kept). */
export type ResizeSpec = number | [number, number];

export interface DecodeOptions {
  size?: ResizeSpec;
  /** 1 (grayscale, luma as libvips computes it) or 3 (sRGB); alpha is always dropped. */
  channels: 1 | 3;
}

export interface DecodedImage {
  pixels: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/** Throw unless `size` is a positive integer or a `[h, w]` pair of them. */
export function assertResizeSpec(size: unknown, where: string): asserts size is ResizeSpec | undefined {
  if (size === undefined) return;
  const ok = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  if (ok(size) || (Array.isArray(size) && size.length === 2 && size.every(ok))) return;
  throw new Error(
    `${where}: size must be a positive integer (shorter side, then centre crop) or [height, width], got ${JSON.stringify(size)}`,
  );
}

/**
 * Decode one JPEG/PNG/WebP file to interleaved HWC bytes with sharp (libvips).
 * Resizing uses libvips' antialiased bilinear kernel, close to PIL's bilinear
 * that torchvision uses; `fit: 'cover'` is "shorter side to n, then centre crop"
 * with the crop offset rounded, as torchvision's `center_crop`.
 */
export async function decodeImage(path: string, options: DecodeOptions): Promise<DecodedImage> {
  // Reading the bytes ourselves measured faster than handing sharp the path on small files.
  let pipeline = sharp(await readFile(path)).removeAlpha();
  const { size, channels } = options;
  if (typeof size === 'number')
    pipeline = pipeline.resize(size, size, { fit: 'cover', position: 'centre', kernel: 'linear' });
  else if (size) pipeline = pipeline.resize(size[1], size[0], { fit: 'fill', kernel: 'linear' });
  // 'b-w' measured about twice as fast as .grayscale() on MNIST PNGs, same output.
  pipeline = pipeline.toColourspace(channels === 1 ? 'b-w' : 'srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) {
    throw new Error(`${path}: decoded to ${info.channels} channels, expected ${channels}`);
  }
  return {
    pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    height: info.height,
    width: info.width,
    channels: info.channels,
  };
}

/** The file's own colour channels without alpha: 1 for grayscale files, else 3 (sharp outputs sRGB). */
export async function nativeChannels(path: string): Promise<1 | 3> {
  const meta = await sharp(await readFile(path)).metadata();
  const colour = (meta.channels ?? 3) - (meta.hasAlpha ? 1 : 0);
  return colour === 1 ? 1 : 3;
}
