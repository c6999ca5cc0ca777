import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChromium, inkFraction, withPageInChromium } from '@selfsup/testing/chromium';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config';
import { DEMO_DATA_DIR } from '../demo-config';
import type { CellResult } from '../results-store';
import { runBenchmark } from '../runner';
import { writeReport, type WrittenReport } from './write-report';
import { describeEncoder, type ReportContext } from './context';

const quiet = { start() {}, done() {}, message() {}, close() {} };

describe('the report of a real run', () => {
  let cells: CellResult[];
  let report: WrittenReport;
  let context: ReportContext;
  const outDir = mkdtempSync(join(tmpdir(), 'ssl-bench-report-'));

  beforeAll(async () => {
    // Four random encoders of different widths on the bundled (real) MNIST and DTD subsets.
    const config = validateConfig(
      {
        backend: 'wasm',
        encoders: [0.125, 0.25, 0.5, 1].map((w) => ({
          name: `convnet-x${w}`,
          from: 'random',
          backbone: { arch: 'convnet', width: w },
        })),
        datasets: [
          {
            name: 'mnist',
            format: 'imagefolder',
            train: 'mnist/train',
            test: 'mnist/test',
            perClass: { train: 15, test: 10 },
          },
          {
            name: 'dtd10',
            format: 'imagefolder',
            train: 'dtd10/train',
            test: 'dtd10/test',
            perClass: { train: 15, test: 10 },
          },
        ],
        protocols: [
          { kind: 'knn', k: 10 },
          { kind: 'fewshot', ways: 5, shots: [3], queries: 5, episodes: 50 },
        ],
        reference: { dataset: 'mnist', protocol: 'knn' },
      },
      'report test',
      DEMO_DATA_DIR,
    );
    const summary = await runBenchmark({ config, out: join(outDir, 'run'), progress: quiet });
    cells = summary.cells;
    context = summary.context;
    report = await writeReport({ cells, reference: summary.reference, context, outDir: join(outDir, 'report') });
  }, 180_000);

  it('writes the tables, the correlation analysis and every figure as SVG and non-blank PNG', async () => {
    const names = report.files.map((f) => f.slice(join(outDir, 'report').length + 1)).sort();
    expect(names).toEqual(
      [
        'correlation.json',
        'correlation.md',
        'index.html',
        'results.csv',
        'results.json',
        'results.md',
        ...['heatmap-knn', 'heatmap-fewshot-5way-3shot', 'scatter-knn', 'scatter-fewshot-5way-3shot'].flatMap((f) => [
          `figures/${f}.svg`,
          `figures/${f}.png`,
        ]),
      ].sort(),
    );
    for (const png of report.files.filter((f) => f.endsWith('.png')))
      expect(await inkFraction(png)).toBeGreaterThan(0.01);
    const csv = readFileSync(join(outDir, 'report', 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(1 + cells.length);
    const correlation = JSON.parse(readFileSync(join(outDir, 'report', 'correlation.json'), 'utf8'));
    // knn: reference mnist vs dtd10 and the mean; 4 encoders each.
    expect(correlation[0].rows.map((r: { task: string; n: number }) => [r.task, r.n])).toEqual([
      ['dtd10', 4],
      ['mean', 4],
    ]);
  });

  it('says what was measured, what the reference stands for, sizes, encoders, run facts and a conclusion', () => {
    expect(context.datasets).toEqual({
      mnist: { train: 150, test: 100, classes: 10 },
      dtd10: { train: 150, test: 100, classes: 10 },
    });
    expect(context.encoders['convnet-x0.5']).toBe('ConvNet ×0.5, random initialisation (no training)');
    const random = { name: 'r', from: 'random', backbone: { arch: 'convnet' } } as const;
    expect(describeEncoder({ ...random, normalize: 'cifar10' })).toBe(
      "ConvNet, random initialisation (no training), inputs standardised with cifar10's per-channel mean and std",
    );
    expect(describeEncoder({ ...random, mean: [0.5], std: [0.25] })).toBe(
      'ConvNet, random initialisation (no training), inputs standardised with mean 0.5 and std 0.25',
    );
    expect(context.randomInit).toHaveLength(4);
    const md = readFileSync(join(outDir, 'report', 'results.md'), 'utf8');
    expect(md).toContain('stands in for the ImageNet accuracy of Ericsson, Gouk and Hospedales');
    expect(md).toContain("each encoder's knn accuracy on mnist");
    expect(md).toContain('| mnist | 10 | 150 | – | 100 |');
    expect(md).toMatch(
      /Backend wasm, @selfsup\/ssl-bench \d+\.\d+\.\d+, results of \d{4}-\d\d-\d\d \(seed 0, images at 32px\)/,
    );
    // The conclusion: one sentence per correlation with n and significance; every encoder is random here.
    expect(md).toMatch(
      /knn, mean: with n = 4 encoders, Pearson r = -?\d\.\d\d \(p = [\d.e-]+\).* (— significant at the 5% level|not significant at the 5% level \(with 4 encoders \|r\| must exceed 0\.95\))/,
    );
    const html = readFileSync(report.index, 'utf8');
    expect(html).toContain('<h2>What was measured</h2>');
    expect(html).toContain('<h2>Conclusion</h2>');
    expect(html).toContain('<details><summary>Configuration</summary>');
    // Axes in percent, heat maps with a colour legend.
    const scatter = readFileSync(join(outDir, 'report', 'figures', 'scatter-knn.svg'), 'utf8');
    expect(scatter).toMatch(/mnist knn accuracy \(%(, logit scale)?\)/);
    expect(scatter).toMatch(/>\d+(\.\d)?%<\/text>/);
    const heat = readFileSync(join(outDir, 'report', 'figures', 'heatmap-knn.svg'), 'utf8');
    expect(heat).toContain('class="legend"');
    expect(heat).toContain('>accuracy (%)</text>');
  });

  it.skipIf(!hasChromium)(
    'index.html loads in headless Chromium without console errors and shows the plots',
    async () => {
      await withPageInChromium(report.index, async (page, problems) => {
        expect(problems).toEqual([]);
        expect(await page.locator('figure svg').count()).toBe(4);
        expect(await page.locator('table').count()).toBeGreaterThanOrEqual(3);
        const shot = await page.locator('#scatter-knn').screenshot();
        expect(await inkFraction(shot)).toBeGreaterThan(0.01);
        expect(await inkFraction(await page.screenshot({ fullPage: true }))).toBeGreaterThan(0.01);
      });
    },
  );
});
