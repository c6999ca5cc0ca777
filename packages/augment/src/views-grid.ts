import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { checkNumber, createRng, type Rng } from '@selfsup/runtime';
import { writeFileAtomic } from '@selfsup/runtime/node';
import { checkBatch, describeValue } from './batch';
import { byolView1, byolView2 } from './presets';
import type { Transform } from './types';

export interface ViewsGridOptions {
  /** One column per transform, after the originals (default: BYOL view 1 and view 2 at the images' size). */
  views?: Transform[];
  /** Random source of the views (default: `createRng(0)`). */
  rng?: Rng;
  /** Integer upscale of every cell, nearest neighbour, so 32x32 images stay visible (default: 4 when the side is below 64, else 1). */
  scale?: number;
  /** Gap between cells in pixels, after scaling (default 4). */
  gap?: number;
}

export interface ViewsGridResult {
  path: string;
  width: number;
  height: number;
  rows: number;
  columns: number;
}

/** A `[N, H, W, 3 or 1]` batch in [0, 1] as RGB bytes, clamped (bicubic can overshoot). */
async function toBytes(images: tf.Tensor4D): Promise<Uint8Array> {
  const bytes = tf.tidy(() => {
    const rgb = images.shape[3] === 1 ? tf.tile(images, [1, 1, 1, 3]) : images;
    return tf.cast(tf.round(tf.mul(tf.clipByValue(rgb, 0, 1), 255)), 'int32');
  });
  const data = Uint8Array.from(await bytes.data());
  bytes.dispose();
  return data;
}

/**
 * Write a PNG contact sheet: one row per image, the original in the first column and
 * one column per view, so a person can see what the augmentations do. The file is
 * written atomically (temp file + rename).
 */
export async function viewsGrid(
  images: tf.Tensor4D,
  path: string,
  options: ViewsGridOptions = {},
): Promise<ViewsGridResult> {
  const fn = 'viewsGrid';
  checkBatch(fn, images);
  const [n, h, w, c] = images.shape;
  if (c !== 3 && c !== 1) {
    throw new Error(`${fn}: images must be RGB or gray [N, H, W, 3 or 1], got shape [${images.shape.join(', ')}]`);
  }
  if (typeof path !== 'string' || path.length === 0)
    throw new Error(`${fn}: path must be a file path, got ${describeValue(path)}`);
  const rng = options.rng ?? createRng(0);
  const views = options.views ?? [byolView1({ size: Math.min(h, w) }), byolView2({ size: Math.min(h, w) })];
  const scale = checkNumber(fn, 'scale', options.scale ?? (Math.max(h, w) < 64 ? 4 : 1), { min: 1, integer: true });
  const gap = checkNumber(fn, 'gap', options.gap ?? 4, { min: 0, integer: true });

  const columns: Array<{ bytes: Uint8Array; h: number; w: number }> = [{ bytes: await toBytes(images), h, w }];
  for (const view of views) {
    const out = view(images, rng);
    columns.push({ bytes: await toBytes(out), h: out.shape[1], w: out.shape[2] });
    out.dispose();
  }
  const cellH = Math.max(...columns.map((col) => col.h)) * scale;
  const cellW = Math.max(...columns.map((col) => col.w)) * scale;
  const width = columns.length * cellW + (columns.length + 1) * gap;
  const height = n * cellH + (n + 1) * gap;

  const composites: sharp.OverlayOptions[] = [];
  for (const [col, { bytes, h: ch, w: cw }] of columns.entries()) {
    for (let row = 0; row < n; row++) {
      const pixels = bytes.subarray(row * ch * cw * 3, (row + 1) * ch * cw * 3);
      const cell = await sharp(Buffer.from(pixels), { raw: { width: cw, height: ch, channels: 3 } })
        .resize(cw * scale, ch * scale, { kernel: 'nearest' })
        .png()
        .toBuffer();
      composites.push({ input: cell, left: gap + col * (cellW + gap), top: gap + row * (cellH + gap) });
    }
  }
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(composites)
    .removeAlpha()
    .png()
    .toBuffer();
  await writeFileAtomic(path, png);
  return { path, width, height, rows: n, columns: columns.length };
}
