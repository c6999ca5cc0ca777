import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { makeTempDir } from '../test/fixtures';
import { classCounts } from './image-dataset';
import { loadImageFolder } from './image-folder';
import { MixedImageSizesError } from './mixed-image-sizes-error';

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const DTD10_CLASSES = [
  'banded',
  'blotchy',
  'braided',
  'bubbly',
  'bumpy',
  'chequered',
  'cobwebbed',
  'cracked',
  'crosshatched',
  'crystalline',
];
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const firstFile = (...parts: string[]) => join(dataPath(...parts), readdirSync(dataPath(...parts)).sort()[0]);

describeWithData('loadImageFolder on ../shared/data (counts and histograms of each SOURCE.md)', () => {
  it('cifar10: 32x32 RGB JPEG, 500/100 per class', async () => {
    let progressCalls = 0;
    const train = await loadImageFolder(dataPath('cifar10', 'train'), {
      onProgress: (done, total) => (progressCalls = done === total ? progressCalls + 1 : progressCalls),
    });
    expect(train.shape).toEqual([5000, 32, 32, 3]);
    expect(train.classes).toEqual(CIFAR10_CLASSES);
    expect(classCounts(train)).toEqual(new Array(10).fill(500));
    expect(progressCalls).toBe(1);
    const test = await loadImageFolder(dataPath('cifar10', 'test'));
    expect(test.shape).toEqual([1000, 32, 32, 3]);
    expect(classCounts(test)).toEqual(new Array(10).fill(100));
    // Image 0 is the first file of the first class, decoded as sharp decodes it.
    const { data } = await sharp(firstFile('cifar10', 'test', 'airplane'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Buffer.from(test.images.subarray(0, 3072)).equals(data)).toBe(true);
  });

  it('mnist: 28x28 grayscale PNG loads with 1 channel, 500/100 per class', async () => {
    const train = await loadImageFolder(dataPath('mnist', 'train'));
    expect(train.shape).toEqual([5000, 28, 28, 1]);
    expect(train.classes).toEqual(DIGITS);
    expect(classCounts(train)).toEqual(new Array(10).fill(500));
    const test = await loadImageFolder(dataPath('mnist', 'test'), { channels: 1 });
    expect(test.shape).toEqual([1000, 28, 28, 1]);
    expect(classCounts(test)).toEqual(new Array(10).fill(100));
    // Lossless PNGs: the bytes are the file's gray values exactly.
    const { data } = await sharp(firstFile('mnist', 'test', '0'))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Buffer.from(test.images.subarray(0, 784)).equals(data)).toBe(true);
  });

  it('dtd10: JPEGs of varying size resized on load, 40/20 per class', async () => {
    const train = await loadImageFolder(dataPath('dtd10', 'train'), { size: 64 });
    expect(train.shape).toEqual([400, 64, 64, 3]);
    expect(train.classes).toEqual(DTD10_CLASSES);
    expect(classCounts(train)).toEqual(new Array(10).fill(40));
    const test = await loadImageFolder(dataPath('dtd10', 'test'), { size: [48, 40] });
    expect(test.shape).toEqual([200, 48, 40, 3]);
    expect(classCounts(test)).toEqual(new Array(10).fill(20));
  });
});

describeWithData('loadImageFolder resize rule and channels', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('size n = shorter side to n, then centre crop (checked against an explicit resize + extract)', async () => {
    const source = firstFile('dtd10', 'train', 'banded');
    const meta = await sharp(source).metadata();
    const [h, w] = [meta.height!, meta.width!];
    expect(h).not.toBe(w);
    const scale = 32 / Math.min(h, w);
    const [rh, rw] = [Math.round(h * scale), Math.round(w * scale)];
    const reference = await sharp(source)
      .resize(rw, rh, { fit: 'fill', kernel: 'linear' })
      // The crop offset is rounded, as torchvision's center_crop does.
      .extract({ left: Math.round((rw - 32) / 2), top: Math.round((rh - 32) / 2), width: 32, height: 32 })
      .raw()
      .toBuffer();
    mkdirSync(join(temp.dir, 'one', 'banded'), { recursive: true });
    copyFileSync(source, join(temp.dir, 'one', 'banded', 'a.jpg'));
    const ds = await loadImageFolder(join(temp.dir, 'one'), { size: 32 });
    expect(ds.shape).toEqual([1, 32, 32, 3]);
    let diff = 0;
    for (let i = 0; i < reference.length; i++) diff += Math.abs(reference[i] - ds.images[i]);
    // Not bit-exact: sharp resizes the whole image in one pass (JPEG shrink-on-load);
    // the wrong crop offset (floor) scores 44 on this striped texture, the right one under 5.
    expect(diff / reference.length).toBeLessThan(6);
  });

  it('without size, images of different sizes are an error naming both files and suggesting size', async () => {
    const mixed = join(temp.dir, 'mixed', 'cracked');
    mkdirSync(mixed, { recursive: true });
    const sizes = new Map<string, string>();
    for (const name of readdirSync(dataPath('dtd10', 'train', 'cracked')).sort()) {
      const meta = await sharp(dataPath('dtd10', 'train', 'cracked', name)).metadata();
      sizes.set(`${meta.height}x${meta.width}`, name);
      if (sizes.size === 2) break;
    }
    const [first, second] = [...sizes.values()].sort();
    copyFileSync(dataPath('dtd10', 'train', 'cracked', first), join(mixed, first));
    copyFileSync(dataPath('dtd10', 'train', 'cracked', second), join(mixed, second));
    await expect(loadImageFolder(join(temp.dir, 'mixed'))).rejects.toThrow(
      new RegExp(`${second} \\(file 1\\) is \\d+x\\d+, but .*${first} is \\d+x\\d+; pass options\\.size`),
    );
    await expect(loadImageFolder(join(temp.dir, 'mixed'))).rejects.toBeInstanceOf(MixedImageSizesError);
  });

  it('channels 3 on grayscale PNGs repeats the gray value; channels 1 on RGB gives one channel', async () => {
    const few = join(temp.dir, 'few');
    for (const digit of ['3', '7']) {
      mkdirSync(join(few, digit), { recursive: true });
      for (const name of readdirSync(dataPath('mnist', 'test', digit)).slice(0, 10))
        copyFileSync(dataPath('mnist', 'test', digit, name), join(few, digit, name));
    }
    const gray = await loadImageFolder(few, { channels: 1, concurrency: 4 });
    const rgb = await loadImageFolder(few, { channels: 3 });
    expect(rgb.shape).toEqual([20, 28, 28, 3]);
    expect(Array.from(rgb.labels)).toEqual([...new Array(10).fill(0), ...new Array(10).fill(1)]);
    for (const p of [0, 300, 500, 783, 20 * 784 - 1]) {
      expect([rgb.images[3 * p], rgb.images[3 * p + 1], rgb.images[3 * p + 2]]).toEqual([
        gray.images[p],
        gray.images[p],
        gray.images[p],
      ]);
    }
    const dtdGray = await loadImageFolder(dataPath('dtd10', 'test'), { channels: 1, size: 16 });
    expect(dtdGray.shape).toEqual([200, 16, 16, 1]);
  });
});

describe('loadImageFolder bad input', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());
  const root = join(temp.dir, 'bad');
  const png = (value: number) =>
    sharp({ create: { width: 4, height: 4, channels: 3, background: { r: value, g: 0, b: 0 } } })
      .png()
      .toBuffer();

  it('names a non-image and a truncated image, and skips them when asked', async () => {
    mkdirSync(join(root, 'b'), { recursive: true });
    mkdirSync(join(root, 'a'), { recursive: true });
    writeFileSync(join(root, 'a', '1.png'), await png(10));
    writeFileSync(join(root, 'a', 'notes.txt'), 'not an image');
    writeFileSync(join(root, 'b', '1.png'), await png(200));
    writeFileSync(join(root, 'b', '.hidden'), 'ignored');
    const whole = readFileSync(join(root, 'b', '1.png'));
    writeFileSync(join(root, 'b', '2.png'), whole.subarray(0, whole.length - 20));
    writeFileSync(join(root, 'README.md'), 'root files are not classes');
    mkdirSync(join(root, 'b', 'nested'));
    writeFileSync(join(root, 'b', 'nested', '3.png'), await png(90));

    await expect(loadImageFolder(root)).rejects.toThrow(/cannot decode .*a\/notes\.txt \(file 1, class 'a'\)/);
    const logged: string[] = [];
    const ds = await loadImageFolder(root, { onError: 'skip', log: (m) => logged.push(m) });
    // Sub-folders of a class belong to it ('1.png' < '2.png' < 'nested').
    expect(ds.shape).toEqual([3, 4, 4, 3]);
    expect(Array.from(ds.labels)).toEqual([0, 1, 1]);
    expect([ds.images[0], ds.images[48], ds.images[96]]).toEqual([10, 200, 90]);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/notes\.txt.*skipped/);
    expect(logged[1]).toMatch(/b\/2\.png \(file 3, class 'b'\).*skipped/);
  });

  it('rejects bad options and folders without classes, naming the value', async () => {
    await expect(loadImageFolder(root, { size: 0 })).rejects.toThrow(/size must be a positive integer .* got 0/);
    await expect(loadImageFolder(root, { channels: 2 as 1 })).rejects.toThrow(/channels must be 1 or 3, got 2/);
    await expect(loadImageFolder(join(root, 'a'))).rejects.toThrow(/has no class sub-folders/);
    await expect(loadImageFolder(join(temp.dir, 'missing'))).rejects.toThrow(/cannot read dir .*missing/);
  });
});
