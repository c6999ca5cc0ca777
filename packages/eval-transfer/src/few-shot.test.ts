import { loadImageFolder } from '@selfsup/datasets/node';
import { describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { fewShot } from './few-shot';

describe('fewShot', () => {
  // Three classes on separate axes with a little jitter: nearest centroid never errs.
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 10; i++) {
      const row = [0, 0, 0];
      row[c] = 10 + ((i * 7) % 5) * 0.1;
      rows.push(row);
      labels.push(c);
    }
  }

  it('is exact on separable classes, with a zero-width interval', () => {
    const r = fewShot({ features: rows, labels, ways: 3, shots: 2, queries: 5, episodes: 20, seed: 1 });
    expect(r.accuracy).toBe(1);
    expect(r.ci95).toBe(0);
    expect(r.episodeAccuracies).toHaveLength(20);
  });

  it('rejects a class with fewer images than shots + queries, and bad features', () => {
    expect(() => fewShot({ features: rows, labels, ways: 3, shots: 5, queries: 6, episodes: 2, seed: 1 })).toThrow(
      /fewer than shots \+ queries = 11/,
    );
    expect(() => fewShot({ features: rows.slice(1), labels, shots: 1, seed: 1 })).toThrow(
      /labels has 30 labels but the features have 29 rows/,
    );
    const bad = rows.map((r) => [...r]);
    bad[4][1] = NaN;
    expect(() => fewShot({ features: bad, labels, ways: 3, shots: 1, episodes: 1, seed: 1 })).toThrow(
      /non-finite value NaN at row 4/,
    );
  });
});

describeWithData('fewShot on MNIST raw pixels', () => {
  it('5-way 5-shot prototypes beat chance by far; the CI is 1.96 std / sqrt(episodes)', async () => {
    const ds = await loadImageFolder(dataPath('mnist', 'test'));
    const dim = 28 * 28;
    const features = { data: Float32Array.from(ds.images, (v) => v / 255), n: ds.shape[0], dim };
    const r = fewShot({ features, labels: ds.labels, ways: 5, shots: 5, queries: 15, episodes: 100, seed: 0 });
    expect(r.accuracy).toBeGreaterThan(0.6); // chance is 0.2
    const mean = r.episodeAccuracies.reduce((s, a) => s + a, 0) / 100;
    const std = Math.sqrt(r.episodeAccuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / 100);
    expect(r.accuracy).toBeCloseTo(mean, 12);
    expect(r.ci95).toBeCloseTo((1.96 * std) / Math.sqrt(100), 12);
    const again = fewShot({ features, labels: ds.labels, ways: 5, shots: 5, queries: 15, episodes: 100, seed: 0 });
    expect(again.accuracy).toBe(r.accuracy);
    const twenty = fewShot({ features, labels: ds.labels, ways: 5, shots: 20, queries: 15, episodes: 100, seed: 0 });
    expect(twenty.accuracy).toBeGreaterThan(r.accuracy - 0.02);
  });
});
