import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithData } from '@selfsup/testing';
import { loadFashionMnistTest } from '../test/fixtures';
import { concat } from './concat';
import { classCounts, imageSize, type ImageDataset } from './image-dataset';
import { select } from './select';
import { split } from './split';
import { subset } from './subset';

/** Whether image i of `a` has the same bytes as image j of `b`. */
function sameImage(a: ImageDataset, i: number, b: ImageDataset, j: number): boolean {
  const size = imageSize(a);
  return Buffer.from(a.images.subarray(i * size, (i + 1) * size)).equals(
    Buffer.from(b.images.subarray(j * size, (j + 1) * size)),
  );
}

describeWithData('subset, split, select and concat on Fashion-MNIST test', () => {
  let ds: ImageDataset;
  beforeAll(async () => {
    ds = await loadFashionMnistTest();
  });

  it('subset: perClass of every class, same seed same pick, another seed another pick', () => {
    const a = subset(ds, 7, 42);
    expect(a.shape).toEqual([70, 28, 28, 1]);
    expect(classCounts(a)).toEqual(new Array(10).fill(7));
    const b = subset(ds, 7, 42);
    expect(Buffer.from(b.images).equals(Buffer.from(a.images))).toBe(true);
    const c = subset(ds, 7, 43);
    expect(Buffer.from(c.images).equals(Buffer.from(a.images))).toBe(false);
    expect(() => subset(ds, 1001, 0)).toThrow(/class 0 \('0'\) has 1000 images, fewer than perClass = 1001/);
    expect(() => subset(ds, 0, 0)).toThrow(/perClass must be a positive integer, got 0/);
  });

  it('split: stratified, disjoint, covering, seeded', () => {
    const part = subset(ds, 50, 1);
    const { train, val } = split(part, 0.2, 3);
    expect(classCounts(val)).toEqual(new Array(10).fill(10));
    expect(classCounts(train)).toEqual(new Array(10).fill(40));
    // Every image of `part` lands in exactly one side.
    const landed = new Array(part.shape[0]).fill(0);
    for (const side of [train, val]) {
      for (let j = 0; j < side.shape[0]; j++) {
        for (let i = 0; i < part.shape[0]; i++) {
          if (part.labels[i] === side.labels[j] && sameImage(part, i, side, j)) landed[i]++;
        }
      }
    }
    expect(landed.every((n) => n === 1)).toBe(true);
    expect(Buffer.from(split(part, 0.2, 3).val.images).equals(Buffer.from(val.images))).toBe(true);
    expect(Buffer.from(split(part, 0.2, 4).val.images).equals(Buffer.from(val.images))).toBe(false);
    expect(() => split(part, 1, 0)).toThrow(/fraction .* must be in \(0, 1\), got 1/);
  });

  it('select copies the chosen images in order; concat joins and checks compatibility', () => {
    const picked = select(ds, [9999, 0, 0]);
    expect(picked.shape).toEqual([3, 28, 28, 1]);
    expect(Array.from(picked.labels)).toEqual([ds.labels[9999], ds.labels[0], ds.labels[0]]);
    expect(sameImage(picked, 0, ds, 9999) && sameImage(picked, 2, ds, 0)).toBe(true);
    expect(() => select(ds, [10000])).toThrow(/select: indices\[0\] = 10000 is not an image index in \[0, 10000\)/);

    const joined = concat(picked, select(ds, [5]));
    expect(joined.shape).toEqual([4, 28, 28, 1]);
    expect(sameImage(joined, 3, ds, 5) && sameImage(joined, 0, ds, 9999)).toBe(true);
    expect(joined.labels[3]).toBe(ds.labels[5]);
    const renamed = { ...picked, classes: picked.classes.map((c) => `class ${c}`) };
    expect(() => concat(picked, renamed)).toThrow(/dataset 1 has classes .*"class 0".* expected .* like dataset 0/);
    const wider: ImageDataset = {
      images: new Uint8Array(28 * 29),
      labels: new Int32Array(1),
      shape: [1, 28, 29, 1],
      classes: picked.classes,
    };
    expect(() => concat(picked, wider)).toThrow(/dataset 1 has images 28x29x1, expected 28x28x1/);
    expect(() => concat()).toThrow(/at least one dataset/);
  });
});

describe('dataset checks', () => {
  it('an inconsistent dataset is rejected with its numbers', () => {
    const bad: ImageDataset = {
      images: new Uint8Array(10),
      labels: new Int32Array(2),
      shape: [2, 2, 2, 1],
      classes: ['a'],
    };
    expect(() => select(bad, [0])).toThrow(/select: dataset images hold 10 bytes, expected N\*H\*W\*C = 8/);
  });
});
