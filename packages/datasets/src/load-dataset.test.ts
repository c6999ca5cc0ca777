import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { cifarRecords, makeTempDir } from '../test/fixtures';
import { classCounts, type ImageDataset } from './image-dataset';
import { loadImageFolder } from './image-folder';
import { loadDataset } from './load-dataset';

describeWithData('loadDataset: one loader for every format', () => {
  const temp = makeTempDir();
  let source: ImageDataset;
  const c10 = join(temp.dir, 'c10');
  const c100 = join(temp.dir, 'c100');

  beforeAll(async () => {
    // CIFAR binaries in the official layout, written from the shared CIFAR-10 test images.
    source = await loadImageFolder(dataPath('cifar10', 'test'));
    mkdirSync(join(c10, 'cifar-10-batches-bin'), { recursive: true });
    for (let b = 0; b < 5; b++)
      writeFileSync(
        join(c10, 'cifar-10-batches-bin', `data_batch_${b + 1}.bin`),
        cifarRecords(source, b * 20, (b + 1) * 20, (l) => [l]),
      );
    writeFileSync(
      join(c10, 'cifar-10-batches-bin', 'test_batch.bin'),
      cifarRecords(source, 0, 30, (l) => [l]),
    );
    mkdirSync(join(c100, 'cifar-100-binary'), { recursive: true });
    writeFileSync(
      join(c100, 'cifar-100-binary', 'train.bin'),
      cifarRecords(source, 0, 50, (l) => [l >> 1, l]),
    );
    writeFileSync(
      join(c100, 'cifar-100-binary', 'test.bin'),
      cifarRecords(source, 0, 10, (l) => [l >> 1, l]),
    );
  });
  afterAll(() => temp.remove());

  it('detects CIFAR-100 by its folder, CIFAR-10 otherwise', async () => {
    const ten = await loadDataset({ format: 'cifar', path: c10, split: 'test' });
    expect(ten.shape).toEqual([30, 32, 32, 3]);
    expect(ten.classes).toHaveLength(10);
    const hundred = await loadDataset({ format: 'cifar', path: c100, split: 'train' });
    expect(hundred.shape).toEqual([50, 32, 32, 3]);
    expect(hundred.classes).toHaveLength(100);
    expect(Buffer.from(hundred.images).equals(Buffer.from(source.images.subarray(0, 50 * 3072)))).toBe(true);
  });

  it('IDX by folder and split (test = t10k) or by files, grayscale made RGB unless rgb: false', async () => {
    const dir = dataPath('fashion-mnist');
    const test = await loadDataset({ format: 'idx', path: dir, split: 'test', limit: 105, seed: 3 });
    expect(test.shape).toEqual([100, 28, 28, 3]);
    expect(classCounts(test)).toEqual(new Array(10).fill(10));
    const byFiles = await loadDataset({
      format: 'idx',
      images: join(dir, 't10k-images-idx3-ubyte.gz'),
      labels: join(dir, 't10k-labels-idx1-ubyte.gz'),
      perClass: 10,
      seed: 3,
      rgb: false,
    });
    expect(byFiles.shape).toEqual([100, 28, 28, 1]);
    expect(Array.from(byFiles.labels)).toEqual(Array.from(test.labels));
  });

  it('ImageFolder uses the split subfolder when there is one, resized on load', async () => {
    const ds = await loadDataset({
      format: 'imagefolder',
      path: dataPath('dtd10'),
      split: 'test',
      size: 16,
      perClass: 2,
    });
    expect(ds.shape.slice(1)).toEqual([16, 16, 3]);
    expect(classCounts(ds).every((n) => n === 2)).toBe(true);
  });

  it('images: every image below a split folder as one unlabelled class, stray files skipped and reported', async () => {
    const photos = join(temp.dir, 'photos');
    mkdirSync(join(photos, 'trip'), { recursive: true });
    for (const [i, f] of ['0000.jpg', '0008.jpg', '0019.jpg'].entries())
      copyFileSync(dataPath('cifar10', 'test', 'cat', f), join(i ? join(photos, 'trip') : photos, f));
    writeFileSync(join(photos, 'README.txt'), 'cats\n');
    writeFileSync(join(photos, 'trip', 'broken.jpg'), 'truncated');
    const log: string[] = [];
    const progress: number[][] = [];
    const ds = await loadDataset(
      { format: 'images', path: temp.dir, split: 'photos', size: 16 },
      { onError: 'skip', log: (m) => log.push(m), onProgress: (...a) => progress.push(a) },
    );
    expect(ds.shape).toEqual([3, 16, 16, 3]);
    expect(ds.classes).toEqual(['unlabelled']);
    expect(progress.at(-1)).toEqual([4, 4, 1]);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/cannot decode .*broken\.jpg.*; skipped$/);
    expect(log[1]).toBe(`skipped 1 non-image file in ${photos} (README.txt)`);
  });

  it('a named split that does not exist is an error listing the splits that do', async () => {
    await expect(loadDataset({ format: 'imagefolder', path: dataPath('dtd10'), split: 'tarin' })).rejects.toThrow(
      `loadDataset: split 'tarin': there is no folder ${join(dataPath('dtd10'), 'tarin')}; the sub-folders of ${dataPath('dtd10')} are: test, train`,
    );
    await expect(loadDataset({ format: 'idx', path: dataPath('fashion-mnist'), split: 'val' })).rejects.toThrow(
      /^loadDataset: split 'val': there is no .*val-images-idx3-ubyte\[\.gz\]; the splits in .* are: test, train$/,
    );
  });

  it('names the field that is wrong', async () => {
    await expect(loadDataset({ format: 'cifar', path: c10, split: 'val' })).rejects.toThrow(
      "loadDataset: split must be 'train' or 'test' for format 'cifar', got 'val'",
    );
    await expect(loadDataset({ format: 'idx', path: join(temp.dir, 'nope') })).rejects.toThrow(
      /path .*nope does not exist/,
    );
    await expect(loadDataset({ format: 'idx', path: c10, split: 'train' })).rejects.toThrow(
      /no .*train-images-idx3-ubyte\[\.gz\]/,
    );
    await expect(loadDataset({ format: 'cifar', path: c10, split: 'test', limit: 5 })).rejects.toThrow(
      'loadDataset: limit 5 is below one image per class (10 classes)',
    );
    await expect(loadDataset({ format: 'tar' as never, path: c10 })).rejects.toThrow(
      /format must be one of cifar, idx, imagefolder, images/,
    );
  });
});
