import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { createRng, initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { byolView1 } from './presets';
import { viewsGrid } from './views-grid';

describeWithData('viewsGrid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'augment-grid-'));
  let images: tf.Tensor4D;
  beforeAll(async () => {
    await initBackend('wasm');
    const files = ['airplane', 'frog', 'ship'].map((c) =>
      dataPath('cifar10', 'test', c, readdirSync(dataPath('cifar10', 'test', c)).sort()[0]),
    );
    const pixels = await Promise.all(files.map((f) => sharp(f).removeAlpha().raw().toBuffer()));
    images = tf.tidy(
      () => tf.div(tf.tensor4d(Uint8Array.from(Buffer.concat(pixels)), [3, 32, 32, 3], 'int32'), 255) as tf.Tensor4D,
    );
  });
  afterAll(() => {
    images.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a PNG with one row per image and the original plus one column per view', async () => {
    const before = tf.memory().numTensors;
    const path = join(dir, 'grid.png');
    const result = await viewsGrid(images, path, { rng: createRng(1), scale: 2, gap: 2 });
    expect(tf.memory().numTensors).toBe(before);
    // 3 columns (original, view 1, view 2) of 64 px, 3 rows, 2 px gaps.
    expect(result).toEqual({ path, width: 3 * 64 + 4 * 2, height: 3 * 64 + 4 * 2, rows: 3, columns: 3 });
    const meta = await sharp(path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', result.width, result.height]);
    // The original's cell holds the upscaled original: pixel (0, 0) of image 0 at (gap, gap).
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    const first = Array.from(images.dataSync().subarray(0, 3)).map((v) => Math.round(v * 255));
    const at = (2 * result.width + 2) * 3;
    expect(Array.from(data.subarray(at, at + 3))).toEqual(first);
    expect(readdirSync(dir)).toEqual(['grid.png']);
  });

  it('takes any list of transforms as the views', async () => {
    const result = await viewsGrid(images, join(dir, 'one.png'), {
      views: [byolView1({ size: 16 })],
      scale: 1,
      gap: 0,
    });
    expect([result.columns, result.width, result.height]).toEqual([2, 64, 96]);
  });

  it('draws gray images as gray and rejects other channel counts and an empty path', async () => {
    const gray = tf.fill([2, 8, 8, 1], 0.5) as tf.Tensor4D;
    const path = join(dir, 'gray.png');
    await viewsGrid(gray, path, { views: [], scale: 1, gap: 0 });
    const { data } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    expect(new Set(data)).toEqual(new Set([128]));
    const twoChannels = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    await expect(viewsGrid(twoChannels, join(dir, 'x.png'))).rejects.toThrow(
      /must be RGB or gray \[N, H, W, 3 or 1\], got shape \[1, 4, 4, 2\]/,
    );
    await expect(viewsGrid(images, '')).rejects.toThrow(/path must be a file path/);
    tf.dispose([gray, twoChannels]);
  });
});
