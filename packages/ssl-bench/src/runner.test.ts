import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalTransform } from '@selfsup/augment';
import { createBackbone } from '@selfsup/backbones';
import { fewShot, knnClassify, linearProbe, top1 } from '@selfsup/eval-transfer';
import { extractFeatures } from '@selfsup/eval-transfer';
import { describe, expect, it } from 'vitest';
import { validateConfig } from './config';
import { DEMO_DATA_DIR } from './demo-config';
import { loadBenchDataset } from './load-datasets';
import { runBenchmark } from './runner';
import { SMALL_MATRIX } from './test-matrix';

const quiet = { start() {}, done() {}, message() {}, close() {} };

/** A small real config: two random encoders on the bundled MNIST and DTD subsets (real images, see demo-data/DATA.md). */
export function smallConfig() {
  return validateConfig(
    {
      seed: 1,
      imageSize: 32,
      backend: 'wasm',
      encoders: [
        { name: 'convnet-a', from: 'random', backbone: { arch: 'convnet', width: 0.25 } },
        { name: 'resnet-tiny', from: 'random', backbone: { arch: 'resnet18', stem: 'cifar', width: 0.125 } },
      ],
      ...SMALL_MATRIX,
    },
    'small config',
    DEMO_DATA_DIR,
  );
}

describe('runBenchmark on real data', () => {
  it('stores exactly what the blocks compute when called directly', async () => {
    const config = smallConfig();
    const out = mkdtempSync(join(tmpdir(), 'ssl-bench-run-'));
    const summary = await runBenchmark({ config, out, progress: quiet });
    expect(summary).toMatchObject({ computed: 2 * 2 * 3, reused: 0, interrupted: false });

    // Recompute one encoder × dataset by hand with the blocks.
    const data = await loadBenchDataset(config.datasets[1], config);
    const encoder = createBackbone({ arch: 'resnet18', stem: 'cifar', widthMultiplier: 0.125, seed: config.seed });
    const transform = evalTransform({ resize: 32, crop: 32 });
    const [train, test] = [
      await extractFeatures(encoder, data.train, { transform }),
      await extractFeatures(encoder, data.test, { transform }),
    ];
    encoder.dispose();
    const stored = (protocol: string) =>
      summary.cells.find((c) => c.encoder === 'resnet-tiny' && c.dataset === 'dtd10' && c.protocol === protocol)!;
    const probe = linearProbe({
      train: { features: train, labels: data.train.labels },
      test: { features: test, labels: data.test.labels },
      cGrid: [10, 0.1],
      seed: 1,
    });
    expect(stored('linear').value).toBe(probe.testScore);
    expect(stored('linear').details.C).toBe(probe.C);
    const knn = knnClassify({
      trainFeatures: train,
      trainLabels: data.train.labels,
      testFeatures: test,
      k: 5,
      temperature: 0.1,
      numClasses: 10,
    });
    expect(stored('knn').value).toBe(top1(knn.predictions, data.test.labels));
    const fs = fewShot({
      features: test,
      labels: data.test.labels,
      ways: 3,
      shots: 2,
      queries: 3,
      episodes: 20,
      seed: 1,
    });
    expect(stored('fewshot-3way-2shot')).toMatchObject({ value: fs.accuracy, ci95: fs.ci95 });

    // A second run reuses every cell.
    const again = await runBenchmark({ config, out, progress: quiet });
    expect(again).toMatchObject({ computed: 0, reused: 12 });
    expect(again.cells).toEqual(summary.cells);
  });
});

describe('runBenchmark interruption', () => {
  it('stops between cells when aborted and keeps what finished', async () => {
    const config = smallConfig();
    const out = mkdtempSync(join(tmpdir(), 'ssl-bench-abort-'));
    const controller = new AbortController();
    let finished = 0;
    const progress = { ...quiet, done: () => ++finished === 2 && controller.abort() };
    const first = await runBenchmark({ config, out, progress, signal: controller.signal });
    expect(first).toMatchObject({ computed: 2, interrupted: true });
    const second = await runBenchmark({ config, out, progress: quiet });
    expect(second).toMatchObject({ computed: 10, reused: 2, interrupted: false });
  });
});
