import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { createRng, initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { centerCrop } from './center-crop';
import { colorJitter } from './color-jitter';
import { compose } from './compose';
import { randomResizedCrop } from './random-resized-crop';
import { randomGrayscale, randomHorizontalFlip, randomSolarize } from './random-simple';
import { byolView1, byolView2, evalTransform, simclr } from './presets';
import { resize } from './resized-crop';
import { countDistinctImages, maxAbsDiff } from './test-helpers';

/** The first image of each class folder, decoded with sharp into a float batch in [0, 1]. */
async function loadFirstPerClass(dir: string, count: number): Promise<tf.Tensor4D> {
  const classes = readdirSync(dir).sort().slice(0, count);
  const decoded = await Promise.all(
    classes.map(async (cls) => {
      const file = readdirSync(`${dir}/${cls}`).sort()[0];
      const { data, info } = await sharp(`${dir}/${cls}/${file}`)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, shape: [info.height, info.width, 3] as [number, number, number] };
    }),
  );
  return tf.tidy(
    () =>
      tf.stack(decoded.map((d) => tf.div(tf.tensor3d(Uint8Array.from(d.data), d.shape, 'int32'), 255))) as tf.Tensor4D,
  );
}

/** Both BYOL views of `images`, checked: expected shape, values in [0, 1], every image different, no leak. */
function checkedByolViews(images: tf.Tensor4D, size: number, seed: number): [tf.Tensor4D, tf.Tensor4D] {
  const before = tf.memory().numTensors;
  const views: [tf.Tensor4D, tf.Tensor4D] = [
    byolView1({ size })(images, createRng(seed)),
    byolView2({ size })(images, createRng(seed + 1)),
  ];
  expect(tf.memory().numTensors).toBe(before + 2);
  const [n, , , c] = images.shape;
  for (const v of views) {
    expect(v.shape).toEqual([n, size, size, c]);
    const [lo, hi] = tf.tidy(() => [tf.min(v).dataSync()[0], tf.max(v).dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(countDistinctImages(v)).toBe(n);
  }
  return views;
}

describeWithData('presets on real CIFAR-10 images', () => {
  let images: tf.Tensor4D;
  beforeAll(async () => {
    await initBackend('wasm');
    images = await loadFirstPerClass(dataPath('cifar10', 'train'), 8);
  });

  it('BYOL views: right shape, values in [0, 1], every image different, the two views different', () => {
    const [v1, v2] = checkedByolViews(images, 32, 1);
    expect(maxAbsDiff(v1, v2)).toBeGreaterThan(0.1);
    expect(maxAbsDiff(v1, images)).toBeGreaterThan(0.1);
    tf.dispose([v1, v2]);
  });

  it('same seed, same views; a 16-pixel view from the same source', () => {
    const view = byolView2({ size: 16 });
    const a = view(images, createRng(3));
    const b = view(images, createRng(3));
    const c = view(images, createRng(4));
    expect(a.shape).toEqual([8, 16, 16, 3]);
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(0.1);
    tf.dispose([a, b, c]);
  });

  it('the same seed gives the same views on the wasm and cpu backends', async () => {
    const view = byolView1({ size: 24 });
    const onWasm = view(images, createRng(5));
    const wasmData = onWasm.dataSync().slice();
    onWasm.dispose();
    const pixels = images.dataSync().slice();
    await initBackend('cpu');
    const cpuImages = tf.tensor4d(pixels, images.shape);
    const onCpu = view(cpuImages, createRng(5));
    const fromWasm = tf.tensor4d(wasmData, onCpu.shape);
    expect(maxAbsDiff(onCpu, fromWasm)).toBeLessThan(1e-4);
    tf.dispose([cpuImages, onCpu, fromWasm]);
    await initBackend('wasm');
  });

  it('SimCLR views and the CIFAR eval transform', () => {
    const before = tf.memory().numTensors;
    const views = simclr({ size: 32 })(images, createRng(6));
    expect(views.shape).toEqual([8, 32, 32, 3]);
    expect(countDistinctImages(views)).toBe(8);
    // 32 -> shorter side 37 -> centre 32x32, as resize + centerCrop.
    const evaluated = evalTransform({ crop: 32 })(images, createRng(0));
    expect(tf.memory().numTensors).toBe(before + 2);
    const expected = tf.tidy(() => centerCrop(resize(images, 37), [32, 32]));
    expect(evaluated.shape).toEqual([8, 32, 32, 3]);
    expect(maxAbsDiff(evaluated, expected)).toBe(0);
    tf.dispose([views, evaluated, expected]);
  });

  it('eval transform at ImageNet size on a real DTD texture: 256 shorter side, centre 224', async () => {
    const dtd = await loadFirstPerClass(dataPath('dtd10', 'train'), 1);
    const [, h, w] = dtd.shape;
    const out = evalTransform()(dtd, createRng(0));
    expect(out.shape).toEqual([1, 224, 224, 3]);
    // The centre pixel of the crop is the centre of the resized image, close to the original's centre.
    const centre = (t: tf.Tensor4D, y: number, x: number) =>
      tf.tidy(() => tf.slice(t, [0, y, x, 0], [1, 1, 1, 3]).dataSync());
    const a = centre(out, 112, 112);
    const b = centre(dtd, Math.floor(h / 2), Math.floor(w / 2));
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(0.25);
    tf.dispose([dtd, out]);
  });

  it('BYOL views of one-channel images (real MNIST digits) keep one channel', async () => {
    const dir = dataPath('mnist', 'train');
    const digits = await Promise.all(
      readdirSync(dir)
        .sort()
        .slice(0, 4)
        .map(async (cls) => {
          const file = readdirSync(`${dir}/${cls}`).sort()[0];
          return sharp(`${dir}/${cls}/${file}`).extractChannel(0).raw().toBuffer();
        }),
    );
    const gray = tf.tidy(
      () => tf.div(tf.tensor4d(Uint8Array.from(Buffer.concat(digits)), [4, 28, 28, 1], 'int32'), 255) as tf.Tensor4D,
    );
    const [v1, v2] = checkedByolViews(gray, 28, 7);
    tf.dispose([gray, v1, v2]);
  });

  it('blur: false and scale: the views are the same pipeline without the blur step, with the given crop range', () => {
    const crop = randomResizedCrop({ size: 24, scale: [0.2, 1], interpolation: 'bicubic' });
    const shared = [
      (x: tf.Tensor4D, r: ReturnType<typeof createRng>) =>
        tf.tidy(() => tf.clipByValue(crop(x, r), 0, 1) as tf.Tensor4D),
      randomHorizontalFlip(0.5),
      colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, p: 0.8 }),
      randomGrayscale(0.2),
    ];
    const pairs = [
      [byolView1({ size: 24, blur: false, scale: [0.2, 1] }), compose(shared)],
      [
        byolView2({ size: 24, blur: false, scale: [0.2, 1] }),
        compose([...shared, randomSolarize({ p: 0.2, threshold: 0.5 })]),
      ],
    ] as const;
    for (const [view, expected] of pairs) {
      const a = view(images, createRng(11));
      const b = expected(images, createRng(11));
      expect(maxAbsDiff(a, b)).toBe(0);
      // With blur (the default) the same seed gives other views: the blur step draws from the stream.
      const blurred = byolView1({ size: 24, scale: [0.2, 1] })(images, createRng(11));
      expect(maxAbsDiff(blurred, a)).toBeGreaterThan(0.01);
      tf.dispose([a, b, blurred]);
    }
    expect(() => byolView1({ blur: 'no' as never })).toThrow(/byolView1: blur must be true or false, got no/);
    expect(() => byolView2({ scale: [0.5, 0.2] })).toThrow(/scale/);
  });

  it('rejects bad options with the argument named', () => {
    expect(() => byolView1({ size: 0 })).toThrow(/byolView1: size must be an integer >= 1, got 0/);
    expect(() => evalTransform({ crop: 224, resize: 200 })).toThrow(/resize must be an integer >= 224, got 200/);
    expect(() => simclr({ strength: -1 })).toThrow(/strength/);
  });
});
