import { describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { channelStatistics } from './channel-statistics';
import { loadIdx } from './idx';
import { select } from './select';

describe('channelStatistics', () => {
  it('is the per-channel mean and sample std in [0, 1] units, std floored', () => {
    // Channel 0 holds 0 and 255 (mean 0.5, sample std sqrt(0.5)); channel 1 is constant.
    const ds = {
      images: Uint8Array.from([0, 51, 255, 51]),
      labels: new Int32Array(2),
      shape: [2, 1, 1, 2] as [number, number, number, number],
      classes: ['a'],
    };
    const { mean, std } = channelStatistics(ds);
    expect(mean[0]).toBeCloseTo(0.5, 12);
    expect(mean[1]).toBeCloseTo(0.2, 12);
    expect(std[0]).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(std[1]).toBe(1e-3);
    expect(() =>
      channelStatistics({ ...ds, images: Uint8Array.from([1, 2]), labels: new Int32Array(1), shape: [1, 1, 1, 2] }),
    ).toThrow(/channelStatistics: the dataset has 1 pixel\(s\); need at least 2/);
  });
});

describeWithData('channelStatistics on Fashion-MNIST', () => {
  it("matches byol_reference.py's normalisation of the first 10,000 training images (mean 0.2863, std 0.3540)", async () => {
    const dir = dataPath('fashion-mnist');
    const all = await loadIdx(`${dir}/train-images-idx3-ubyte.gz`, `${dir}/train-labels-idx1-ubyte.gz`);
    const first = select(
      all,
      Array.from({ length: 10000 }, (_, i) => i),
    );
    const { mean, std } = channelStatistics(first);
    // byol_reference_results.md prints 4 decimals.
    expect(mean).toHaveLength(1);
    expect(Math.abs(mean[0] - 0.2863)).toBeLessThan(5e-5);
    expect(Math.abs(std[0] - 0.354)).toBeLessThan(5e-5);
  });
});
