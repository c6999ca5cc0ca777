import { expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { loadImageFolder } from './image-folder';
import { subset } from './subset';
import { toRgb } from './to-rgb';

describeWithData('toRgb', () => {
  it('copies each MNIST grey value to R, G and B and keeps labels', async () => {
    const grey = subset(await loadImageFolder(dataPath('mnist', 'test')), 2, 0);
    const rgb = toRgb(grey);
    expect(rgb.shape).toEqual([20, 28, 28, 3]);
    expect(rgb.labels).toBe(grey.labels);
    for (const i of [0, 400, 28 * 28 * 20 - 1]) {
      expect([rgb.images[3 * i], rgb.images[3 * i + 1], rgb.images[3 * i + 2]]).toEqual([
        grey.images[i],
        grey.images[i],
        grey.images[i],
      ]);
    }
    expect(toRgb(rgb)).toBe(rgb);
  });

  it('rejects other channel counts', () => {
    const ds = {
      images: new Uint8Array(8),
      labels: new Int32Array(2),
      shape: [2, 1, 1, 4] as [number, number, number, number],
      classes: ['a'],
    };
    expect(() => toRgb(ds)).toThrow(/expected 1 or 3 channels, got 4/);
  });
});
