import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalTransform } from '@selfsup/augment';
import { createBackbone } from '@selfsup/backbones';
import { imagesToTensor } from '@selfsup/datasets';
import { colourError, extractFeatures, linearProbe, saliencyOverlap } from '@selfsup/eval-transfer';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from './config';
import { DEMO_DATA_DIR } from './demo-config';
import { loadBenchDataset } from './load-datasets';
import { saliencyOverlapCells } from './report/report-saliency';
import { writeReport, type WrittenReport } from './report/write-report';
import type { CellResult } from './results-store';
import { runBenchmark } from './runner';

const quiet = { start() {}, done() {}, message() {}, close() {} };

/** Two random ConvNets on the bundled (real) DTD subset, with every analysis. */
const config = validateConfig(
  {
    seed: 2,
    backend: 'wasm',
    encoders: [0.125, 0.25].map((w) => ({
      name: `convnet-x${w}`,
      from: 'random',
      backbone: { arch: 'convnet', width: w },
    })),
    datasets: [
      {
        name: 'dtd10',
        format: 'imagefolder',
        train: 'dtd10/train',
        test: 'dtd10/test',
        perClass: { train: 8, test: 6 },
      },
      {
        name: 'mnist',
        format: 'imagefolder',
        train: 'mnist/train',
        test: 'mnist/test',
        perClass: { train: 4, test: 2 },
      },
    ],
    protocols: [
      { kind: 'linear', cGrid: [10, 0.1] },
      { kind: 'calibration', cGrid: [10, 0.1] },
      { kind: 'colour', cGrid: [1], datasets: ['dtd10'] },
      { kind: 'inversion', images: 2, steps: 15, datasets: ['dtd10'] },
      { kind: 'saliency', reference: 'convnet-x0.125', images: 3, datasets: ['dtd10'] },
    ],
    reference: { dataset: 'mnist', protocol: 'linear' },
  },
  'analysis test',
  DEMO_DATA_DIR,
);

describe('the analyses of what the features retain, run and reported', () => {
  let cells: CellResult[];
  let report: WrittenReport;
  const outDir = mkdtempSync(join(tmpdir(), 'ssl-bench-analysis-'));
  const cell = (encoder: string, protocol: string) =>
    cells.find((c) => c.encoder === encoder && c.dataset === 'dtd10' && c.protocol === protocol)!;

  beforeAll(async () => {
    const summary = await runBenchmark({ config, out: join(outDir, 'run'), progress: quiet });
    cells = summary.cells;
    report = await writeReport({ cells, reference: summary.reference, outDir: join(outDir, 'report') });
  }, 300_000);

  it('runs each analysis on the datasets it lists only', () => {
    const count = (p: string) => cells.filter((c) => c.protocol === p).length;
    expect(['linear', 'calibration', 'colour', 'inversion', 'saliency'].map(count)).toEqual([4, 4, 2, 2, 2]);
  });

  it('stores what the blocks compute: the probe’s test ECE, the inversion’s colour error', async () => {
    const data = await loadBenchDataset(config.datasets[0], config);
    const encoder = createBackbone({ arch: 'convnet', widthMultiplier: 0.25, seed: config.seed });
    const transform = evalTransform({ resize: 32, crop: 32 });
    const [train, test] = [
      await extractFeatures(encoder, data.train, { transform }),
      await extractFeatures(encoder, data.test, { transform }),
    ];
    encoder.dispose();
    const probe = linearProbe({
      train: { features: train, labels: data.train.labels },
      test: { features: test, labels: data.test.labels },
      cGrid: [10, 0.1],
      seed: config.seed,
    });
    const calibration = cell('convnet-x0.25', 'calibration');
    expect(calibration).toMatchObject({ metric: 'ece', value: probe.testCalibration!.ece });
    expect(calibration.details).toMatchObject({ top1: probe.testScore, bins: probe.testCalibration!.bins });
    expect(cell('convnet-x0.25', 'linear').details.ece).toBe(calibration.value);

    const inversion = cell('convnet-x0.25', 'inversion');
    const { shape, originals, inversions, indices } = inversion.details as {
      shape: [number, number, number, number];
      originals: string;
      inversions: string;
      indices: number[];
    };
    expect(shape).toEqual([2, 32, 32, 3]);
    expect(indices).toEqual([0, data.test.shape[0] / 2]);
    const decode = (b64: string) =>
      tf.tensor4d(
        Float32Array.from(Buffer.from(b64, 'base64'), (v) => v / 255),
        shape,
      );
    const [a, b] = [decode(originals), decode(inversions)];
    // The stored images are 8-bit; the stored error was computed before rounding.
    expect(Math.abs(colourError(a, b) - inversion.value)).toBeLessThan(2e-3);
    const direct = imagesToTensor(data.test, indices);
    expect(tf.max(tf.abs(tf.sub(direct, a))).dataSync()[0]).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    tf.dispose([a, b, direct]);

    // Saliency: the stored maps of the same images, and the derived overlap with the reference encoder.
    const saliency = cell('convnet-x0.25', 'saliency');
    expect(saliency.metric).toBe('saliencyConcentration');
    expect(saliency.value).toBeGreaterThan(0.1);
    expect(saliency.value).toBeLessThan(1);
    const [overlap] = saliencyOverlapCells(cells);
    const maps = (c: CellResult) => ({
      data: Uint8Array.from(Buffer.from(c.details.maps as string, 'base64')),
      shape: [3, 32, 32],
    });
    expect(overlap).toMatchObject({ encoder: 'convnet-x0.25', protocol: 'saliency-overlap' });
    expect(overlap.value).toBe(saliencyOverlap(maps(saliency), maps(cell('convnet-x0.125', 'saliency'))).iou);

    const colour = cell('convnet-x0.25', 'colour');
    expect(colour.metric).toBe('r2');
    expect(colour.details).toHaveProperty('top1Gray');
    expect(colour.details.colourGap).toBeCloseTo(
      (colour.details.top1Colour as number) - (colour.details.top1Gray as number),
      12,
    );
  });

  it('writes a section per analysis, with reliability diagrams and the inversion figure', async () => {
    const md = readFileSync(join(outDir, 'report', 'analysis.md'), 'utf8');
    for (const heading of ['Calibration of the linear probes', 'Colour versus shape', 'Feature inversion', 'Saliency'])
      expect(md).toContain(`## ${heading}`);
    const fig = (name: string) => join(outDir, 'report', 'figures', name);
    for (const e of ['convnet-x0.125', 'convnet-x0.25'])
      for (const d of ['dtd10', 'mnist']) expect(existsSync(fig(`reliability-${e}-${d}.svg`))).toBe(true);
    // The inversion figure embeds the images: its PNG has colour (the originals are colour textures).
    const { data, info } = await sharp(fig('inversion-dtd10.png'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let coloured = 0;
    for (let i = 0; i < data.length; i += info.channels)
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 30) coloured++;
    expect(coloured / (info.width * info.height)).toBeGreaterThan(0.05);
    const html = readFileSync(report.index, 'utf8');
    expect(html).toContain('<h2>Feature inversion</h2>');
    expect(html).toContain('data:image/png;base64,');
    // The correlation step takes the analyses like accuracies.
    const correlation = JSON.parse(readFileSync(join(outDir, 'report', 'correlation.json'), 'utf8'));
    expect(correlation.map((c: { protocol: string }) => c.protocol)).toEqual([
      'linear',
      'calibration',
      'colour',
      'inversion',
      'saliency',
      'saliency-overlap',
    ]);
    expect(existsSync(fig('saliency-dtd10.png'))).toBe(true);
  });
});
