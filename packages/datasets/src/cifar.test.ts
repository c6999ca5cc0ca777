import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { cifarRecords, makeTempDir } from '../test/fixtures';
import { loadCifar } from './cifar';
import { classCounts, type ImageDataset } from './image-dataset';
import { loadImageFolder } from './image-folder';

// No official CIFAR batches are available offline: these files are written in
// the official layout from the decoded CIFAR-10 JPEGs of ../shared/data.
describeWithData('loadCifar on files in the official binary layout', () => {
  const temp = makeTempDir();
  let source: ImageDataset;
  const cifar10Dir = join(temp.dir, 'cifar-10-batches-bin');
  const cifar100Dir = join(temp.dir, 'cifar-100-binary');
  // CIFAR-100 fixture: fine label = CIFAR-10 label, coarse label = label >> 1.
  const coarseOf = (label: number) => label >> 1;

  beforeAll(async () => {
    source = await loadImageFolder(dataPath('cifar10', 'test'));
    mkdirSync(cifar10Dir);
    // Five train batches of 200 and a test batch of the first 300.
    for (let b = 0; b < 5; b++)
      writeFileSync(
        join(cifar10Dir, `data_batch_${b + 1}.bin`),
        cifarRecords(source, b * 200, (b + 1) * 200, (l) => [l]),
      );
    writeFileSync(
      join(cifar10Dir, 'test_batch.bin'),
      cifarRecords(source, 0, 300, (l) => [l]),
    );
    writeFileSync(join(cifar10Dir, 'batches.meta.txt'), `${source.classes.join('\n')}\n\n`);
    mkdirSync(cifar100Dir);
    writeFileSync(
      join(cifar100Dir, 'train.bin'),
      cifarRecords(source, 0, 1000, (l) => [coarseOf(l), l]),
    );
    writeFileSync(
      join(cifar100Dir, 'test.bin'),
      cifarRecords(source, 0, 10, (l) => [coarseOf(l), l]),
    );
    writeFileSync(join(cifar100Dir, 'coarse_label_names.txt'), ['c0', 'c1', 'c2', 'c3', 'c4'].join('\n'));
  });
  afterAll(() => temp.remove());

  it('cifar10 train: 5 batches in order, planar CHW turned into the same HWC pixels', async () => {
    const train = await loadCifar(temp.dir, { variant: 'cifar10', split: 'train' });
    expect(train.shape).toEqual([1000, 32, 32, 3]);
    expect(train.classes).toEqual(source.classes);
    expect(Buffer.from(train.images).equals(Buffer.from(source.images))).toBe(true);
    expect(train.labels).toEqual(source.labels);
    expect(classCounts(train)).toEqual(new Array(10).fill(100));
  });

  it('cifar10 test from the batches folder itself; without batches.meta.txt the official names', async () => {
    const test = await loadCifar(cifar10Dir, { variant: 'cifar10', split: 'test' });
    expect(test.shape).toEqual([300, 32, 32, 3]);
    expect(Buffer.from(test.images).equals(Buffer.from(source.images.subarray(0, 300 * 3072)))).toBe(true);
    const bare = join(temp.dir, 'bare');
    mkdirSync(bare);
    writeFileSync(
      join(bare, 'test_batch.bin'),
      cifarRecords(source, 0, 2, (l) => [l]),
    );
    expect((await loadCifar(bare, { variant: 'cifar10', split: 'test' })).classes).toEqual(source.classes);
  });

  it('cifar100: fine labels by default, coarse on request, names from the label files or numbers', async () => {
    const fine = await loadCifar(temp.dir, { variant: 'cifar100', split: 'train' });
    expect(fine.shape).toEqual([1000, 32, 32, 3]);
    expect(fine.labels).toEqual(source.labels);
    expect(fine.classes).toHaveLength(100);
    expect(fine.classes[42]).toBe('42');
    expect(Buffer.from(fine.images).equals(Buffer.from(source.images))).toBe(true);
    const coarse = await loadCifar(temp.dir, { variant: 'cifar100', split: 'test', labels: 'coarse' });
    expect(coarse.shape).toEqual([10, 32, 32, 3]);
    expect(coarse.classes).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(Array.from(coarse.labels)).toEqual(Array.from(source.labels.subarray(0, 10), coarseOf));
  });

  it('a truncated batch names the file and the incomplete record', async () => {
    const dir = join(temp.dir, 'truncated', 'cifar-10-batches-bin');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'test_batch.bin'), cifarRecords(source, 0, 3, (l) => [l]).subarray(0, 3073 * 2 + 1000));
    await expect(loadCifar(join(temp.dir, 'truncated'), { variant: 'cifar10', split: 'test' })).rejects.toThrow(
      /test_batch\.bin: 7146 bytes is not a whole number of 3073-byte cifar10 records .*record 2 is incomplete/,
    );
  });

  it('a label byte outside the classes names the file and the record', async () => {
    const dir = join(temp.dir, 'badlabel');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'test_batch.bin'),
      cifarRecords(source, 0, 4, (l, i) => [i === 3 ? 12 : l]),
    );
    await expect(loadCifar(dir, { variant: 'cifar10', split: 'test' })).rejects.toThrow(
      /test_batch\.bin: record 3 has label 12, outside \[0, 10\)/,
    );
  });

  it('a missing batch and bad options are clear errors', async () => {
    await expect(loadCifar(join(temp.dir, 'badlabel'), { variant: 'cifar10', split: 'train' })).rejects.toThrow(
      /data_batch_1\.bin not found/,
    );
    await expect(loadCifar(temp.dir, { variant: 'cifar20' as 'cifar10', split: 'train' })).rejects.toThrow(
      /variant must be 'cifar10' or 'cifar100', got "cifar20"/,
    );
    await expect(loadCifar(temp.dir, { variant: 'cifar10', split: 'val' as 'test' })).rejects.toThrow(
      /split must be 'train' or 'test', got "val"/,
    );
    await expect(loadCifar(temp.dir, { variant: 'cifar10', split: 'test', labels: 'coarse' })).rejects.toThrow(
      /'coarse' exists only for cifar100/,
    );
  });
});

it('a batch over 2 GiB (a sparse file) is an error naming it, without reading it (issue #16)', async () => {
  const temp = makeTempDir();
  try {
    const path = join(temp.dir, 'test_batch.bin');
    const fd = openSync(path, 'w');
    writeSync(fd, new Uint8Array(1), 0, 1, 2 ** 31 + 3073 * 10);
    closeSync(fd);
    await expect(loadCifar(temp.dir, { variant: 'cifar10', split: 'test' })).rejects.toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read: .*2 GiB`),
    );
  } finally {
    temp.remove();
  }
});
