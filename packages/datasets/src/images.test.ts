import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { makeTempDir } from '../test/fixtures';
import { loadImages } from './images';
import { isMixedImageSizesError } from './mixed-image-sizes-error';

describeWithData('loadImages on real files in a flat and a nested folder with stray files', () => {
  const tmp = makeTempDir();
  const photos = join(tmp.dir, 'photos');
  const cifar = (cls: string, file: string) => dataPath('cifar10', 'test', cls, file);

  beforeAll(() => {
    // photos/a.jpg b.jpg README.txt .DS_Store; photos/trip/c.jpg, photos/trip/deeper/d.png (grayscale), notes.md
    mkdirSync(join(photos, 'trip', 'deeper'), { recursive: true });
    copyFileSync(cifar('cat', '0000.jpg'), join(photos, 'a.jpg'));
    copyFileSync(cifar('dog', '0021.jpg'), join(photos, 'b.JPG'));
    copyFileSync(cifar('ship', '0020.jpg'), join(photos, 'trip', 'c.jpeg'));
    copyFileSync(dataPath('mnist', 'test', '0', '60071.png'), join(photos, 'trip', 'deeper', 'd.png'));
    writeFileSync(join(photos, 'README.txt'), 'my holiday photos\n');
    writeFileSync(join(photos, '.DS_Store'), 'junk');
    writeFileSync(join(photos, 'trip', 'notes.md'), '# trip\n');
  });
  afterAll(() => tmp.remove());

  it('takes every image below the folder in sorted order, skips non-image files by extension and counts them', async () => {
    const progress: [number, number, number][] = [];
    const ds = await loadImages(photos, { size: 32, onProgress: (...a) => progress.push(a) });
    expect(ds.paths.map((p) => p.slice(photos.length + 1))).toEqual([
      'a.jpg',
      'b.JPG',
      'trip/c.jpeg',
      'trip/deeper/d.png',
    ]);
    expect(ds.shape).toEqual([4, 32, 32, 3]);
    expect(ds.classes).toEqual(['unlabelled']);
    expect([...ds.labels]).toEqual([0, 0, 0, 0]);
    expect(ds.skippedFiles.map((p) => p.slice(photos.length + 1))).toEqual(['README.txt', 'trip/notes.md']);
    expect(progress.at(-1)).toEqual([4, 4, 2]);
    // The first image is the CIFAR JPEG as sharp decodes it (32x32 already: no resize).
    const { data } = await sharp(cifar('cat', '0000.jpg')).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.from(ds.images.subarray(0, 3072)).equals(data)).toBe(true);
    // The grayscale PNG comes out as three equal channels.
    const d = ds.images.subarray(3 * 3072, 4 * 3072);
    expect(d[100 * 3]).toBe(d[100 * 3 + 1]);
  });

  it('recursive: false keeps only the top folder', async () => {
    const ds = await loadImages(photos, { recursive: false });
    expect(ds.paths.map((p) => p.slice(photos.length + 1))).toEqual(['a.jpg', 'b.JPG']);
    expect(ds.shape).toEqual([2, 32, 32, 3]);
  });

  it('a corrupt image is an error naming it, or skipped and reported once with onError: skip', async () => {
    const dir = join(tmp.dir, 'with-bad');
    mkdirSync(dir);
    copyFileSync(cifar('cat', '0000.jpg'), join(dir, 'good.jpg'));
    writeFileSync(join(dir, 'broken.jpg'), 'not a jpeg at all');
    await expect(loadImages(dir)).rejects.toThrow(/loadImages: cannot decode .*broken\.jpg/);
    const logged: string[] = [];
    const ds = await loadImages(dir, { onError: 'skip', log: (m) => logged.push(m) });
    expect(ds.shape[0]).toBe(1);
    expect(ds.badImages).toEqual([join(dir, 'broken.jpg')]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/broken\.jpg.*; skipped$/);
  });

  it('images of different sizes need size; a folder without images or a missing folder is an error', async () => {
    const dir = join(tmp.dir, 'mixed');
    mkdirSync(dir);
    copyFileSync(cifar('cat', '0000.jpg'), join(dir, 'a.jpg'));
    copyFileSync(dataPath('mnist', 'test', '0', '60071.png'), join(dir, 'b.png'));
    await expect(loadImages(dir)).rejects.toThrow(/b\.png is 28x28, but .*a\.jpg is 32x32; pass options\.size/);
    await expect(loadImages(dir)).rejects.toSatisfy(isMixedImageSizesError);
    expect((await loadImages(dir, { size: 16 })).shape).toEqual([2, 16, 16, 3]);
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'README.txt'), 'x');
    await expect(loadImages(empty)).rejects.toThrow(/no image file .* under .*empty \(1 other files skipped\)/);
    await expect(loadImages(join(tmp.dir, 'nope'))).rejects.toThrow(/nope is not a folder/);
  });
});
