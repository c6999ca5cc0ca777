import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { bootstrapCI } from './bootstrap';
import { kendall } from './kendall';
import { pearson } from './pearson';
import { spearman } from './spearman';

/** IDX file body after its header (magic, then one 32-bit size per dimension). */
function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(dataPath('fashion-mnist', file)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * rank) };
}

/** Per-image mean intensity (0..255) and ink area (number of non-zero pixels). */
function imageStatistics(images: Uint8Array, count: number, pixels: number) {
  const brightness = new Float64Array(count);
  const ink = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    let sum = 0;
    let nonZero = 0;
    for (let p = n * pixels; p < (n + 1) * pixels; p++) {
      sum += images[p];
      if (images[p] > 0) nonZero++;
    }
    brightness[n] = sum / pixels;
    ink[n] = nonZero;
  }
  return { brightness, ink };
}

function classMeans(values: Float64Array, labels: Uint8Array, classes: number): number[] {
  const sums = new Array(classes).fill(0);
  const counts = new Array(classes).fill(0);
  values.forEach((v, i) => {
    sums[labels[i]] += v;
    counts[labels[i]]++;
  });
  return sums.map((s, c) => s / counts[c]);
}

describeWithData('real data: Fashion-MNIST image statistics', () => {
  let train: ReturnType<typeof imageStatistics>;
  let test: ReturnType<typeof imageStatistics>;
  let trainLabels: Uint8Array;
  let testLabels: Uint8Array;

  beforeAll(() => {
    const trainImages = readIdx('train-images-idx3-ubyte.gz');
    const testImages = readIdx('t10k-images-idx3-ubyte.gz');
    const pixels = trainImages.dims[1] * trainImages.dims[2];
    train = imageStatistics(trainImages.data, trainImages.dims[0], pixels);
    test = imageStatistics(testImages.data, testImages.dims[0], pixels);
    trainLabels = readIdx('train-labels-idx1-ubyte.gz').data;
    testLabels = readIdx('t10k-labels-idx1-ubyte.gz').data;
  });

  it('per-class mean brightness of the train split predicts the test split (same distribution)', () => {
    const trainMeans = classMeans(train.brightness, trainLabels, 10);
    const testMeans = classMeans(test.brightness, testLabels, 10);
    const r = pearson(trainMeans, testMeans);
    expect(r.n).toBe(10);
    expect(r.coefficient).toBeGreaterThan(0.99);
    expect(r.pValue).toBeLessThan(1e-6);
    expect(r.confidenceInterval.low).toBeGreaterThan(0.95);
    const interval = bootstrapCI(trainMeans, testMeans, 'pearson', { iterations: 2000, seed: 0 });
    expect(interval.low).toBeGreaterThan(0.95);
  });

  it('ink area and brightness of 10,000 test images: heavy ties take the asymptotic Kendall path', () => {
    const tau = kendall(test.ink, test.brightness);
    const rho = spearman(test.ink, test.brightness);
    expect(tau.pMethod).toBe('asymptotic');
    expect(tau.n).toBe(10_000);
    // More ink means a brighter image, but garment shading keeps it far from perfect.
    expect(tau.coefficient).toBeGreaterThan(0.5);
    expect(rho.coefficient).toBeGreaterThan(tau.coefficient);
    // SciPy 1.17 kendalltau / spearmanr on the same statistics (numpy from the same IDX file).
    expect(tau.coefficient).toBeCloseTo(0.5401184603874445, 12);
    expect(rho.coefficient).toBeCloseTo(0.7115650119816573, 12);
    expect(tau.pValue).toBeLessThan(1e-100);
    // Rank correlations ignore monotone rescaling (e.g. ink as a fraction of 784 pixels).
    expect(
      kendall(
        test.ink.map((v) => v / 784),
        test.brightness,
      ).coefficient,
    ).toBe(tau.coefficient);
  });
});
