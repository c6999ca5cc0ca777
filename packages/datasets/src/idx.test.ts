import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { makeTempDir } from '../test/fixtures';
import { idxOf, peakArrayBufferGrowth } from '../test/hostile';
import { FASHION_MNIST_CLASSES } from './catalog';
import { classCounts } from './image-dataset';
import { loadIdx } from './idx';

const fashion = (file: string) => dataPath('fashion-mnist', file);
const TEST_IMAGES = fashion('t10k-images-idx3-ubyte.gz');
const TEST_LABELS = fashion('t10k-labels-idx1-ubyte.gz');

describeWithData('loadIdx on Fashion-MNIST (../shared/data/fashion-mnist)', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('loads train and test with the counts and balanced classes of SOURCE.md', async () => {
    const train = await loadIdx(fashion('train-images-idx3-ubyte.gz'), fashion('train-labels-idx1-ubyte.gz'), {
      classes: FASHION_MNIST_CLASSES,
    });
    expect(train.shape).toEqual([60000, 28, 28, 1]);
    expect(classCounts(train)).toEqual(new Array(10).fill(6000));
    expect(train.classes[9]).toBe('Ankle boot');
    const test = await loadIdx(TEST_IMAGES, TEST_LABELS);
    expect(test.shape).toEqual([10000, 28, 28, 1]);
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
    expect(test.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('reads raw (un-gzipped) files to the same pixels as the gzipped ones', async () => {
    const rawImages = join(temp.dir, 'images-raw');
    const rawLabels = join(temp.dir, 'labels-raw');
    const imageBytes = gunzipSync(readFileSync(TEST_IMAGES));
    writeFileSync(rawImages, imageBytes);
    writeFileSync(rawLabels, gunzipSync(readFileSync(TEST_LABELS)));
    const fromGz = await loadIdx(TEST_IMAGES, TEST_LABELS);
    const fromRaw = await loadIdx(rawImages, rawLabels);
    expect(Buffer.from(fromRaw.images).equals(Buffer.from(fromGz.images))).toBe(true);
    expect(fromRaw.labels).toEqual(fromGz.labels);
    // The payload is the file after its 16-byte header (magic, N, rows, cols).
    expect(fromRaw.images[5 * 784 + 400]).toBe(imageBytes[16 + 5 * 784 + 400]);
  });

  it('names the file on a wrong magic number (labels passed as images)', async () => {
    await expect(loadIdx(TEST_LABELS, TEST_IMAGES)).rejects.toThrow(
      /t10k-labels-idx1-ubyte\.gz: wrong IDX magic number 0x00000801, expected 0x00000803/,
    );
  });

  it('names the file and the first incomplete image of a truncated file', async () => {
    const truncated = join(temp.dir, 'truncated');
    writeFileSync(truncated, gunzipSync(readFileSync(TEST_IMAGES)).subarray(0, 16 + 784 * 3 + 100));
    await expect(loadIdx(truncated, TEST_LABELS)).rejects.toThrow(
      /truncated.*declares 10000 items.*item 3 is the first incomplete one/,
    );
  });

  it('rejects a label count that differs from the image count', async () => {
    const labels = gunzipSync(readFileSync(TEST_LABELS));
    const fewer = Buffer.from(labels.subarray(0, 8 + 9999));
    fewer.writeUInt32BE(9999, 4);
    const path = join(temp.dir, 'labels-9999');
    writeFileSync(path, fewer);
    await expect(loadIdx(TEST_IMAGES, path)).rejects.toThrow(
      /labels-9999 has 9999 labels but .*t10k-images-idx3-ubyte\.gz has 10000 images/,
    );
  });

  it('names the file of a corrupt gzip stream', async () => {
    const corrupt = join(temp.dir, 'corrupt.gz');
    copyFileSync(TEST_LABELS, corrupt);
    const bytes = readFileSync(corrupt);
    writeFileSync(corrupt, bytes.subarray(0, bytes.length >> 1));
    await expect(loadIdx(TEST_IMAGES, corrupt)).rejects.toThrow(/corrupt\.gz: corrupt or truncated gzip data/);
  });

  it('rejects a label outside the given classes, naming file and index', async () => {
    await expect(loadIdx(TEST_IMAGES, TEST_LABELS, { classes: ['a', 'b'] })).rejects.toThrow(
      /t10k-labels-idx1-ubyte\.gz: label \d at index \d+ is outside \[0, 2\)/,
    );
  });
});

describe('loadIdx on hostile files (issue #16)', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());
  const file = temp.write;
  const images = (n: number) => idxOf([n, 2, 2], new Uint8Array(4 * n));

  it('a small gzip labels file that expands far past its header stops there, without allocating the expansion', async () => {
    const labels = file('bomb-labels.gz', gzipSync(idxOf([3], new Uint8Array(64 * 2 ** 20))));
    const imgs = file('imgs', images(3));
    const { peak, error } = await peakArrayBufferGrowth(() => loadIdx(imgs, labels));
    expect(error?.message).toMatch(/bomb-labels\.gz: unexpected bytes after the 11 bytes its header declares/);
    expect(peak).toBeLessThan(16 * 2 ** 20);
  });

  it('a header that declares more than the gzip can hold is refused before allocating', async () => {
    const labels = file('huge-header.gz', gzipSync(idxOf([2 ** 31 - 100], new Uint8Array(10))));
    await expect(loadIdx(file('imgs2', images(3)), labels)).rejects.toThrow(
      /huge-header\.gz: its header declares 2147483556 bytes, more than a \d+-byte gzip file can hold/,
    );
    const over = file('over-limit.gz', gzipSync(idxOf([2 ** 16, 2 ** 16, 2], new Uint8Array(10))));
    const someLabels = file('some-labels', idxOf([4], new Uint8Array(4)));
    await expect(loadIdx(over, someLabels)).rejects.toThrow(
      /over-limit\.gz: its header declares \d+ bytes, over the limit/,
    );
  });

  it('degenerate files (zero images, 0x0 images) are errors, not empty datasets', async () => {
    const labels0 = file('labels0', idxOf([0], new Uint8Array(0)));
    await expect(loadIdx(file('zero-images', images(0)), labels0)).rejects.toThrow(
      /zero-images: the IDX header declares dimensions \[0, 2, 2\], an empty dataset/,
    );
    const labels2 = file('labels2', idxOf([2], new Uint8Array(2)));
    await expect(loadIdx(file('zero-size', idxOf([2, 0, 0], new Uint8Array(0))), labels2)).rejects.toThrow(
      /zero-size: the IDX header declares dimensions \[2, 0, 0\], an empty dataset/,
    );
  });
});
