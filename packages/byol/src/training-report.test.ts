import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '../../../tooling/test-data';
import { main } from './cli';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = mkdtempSync(join(tmpdir(), 'byol-report-'));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

/** Fraction of pixels that are not near-white: a blank chart scores ~0. */
async function inkFraction(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
  return ink / (info.width * info.height);
}

describeWithData('training curves as an HTML page (a real run on CIFAR-10 photos)', () => {
  const data = join(root, 'data');
  const out = join(root, 'run');

  beforeAll(async () => {
    for (const split of ['train', 'test'])
      for (const cls of ['cat', 'ship']) {
        mkdirSync(join(data, split, cls), { recursive: true });
        for (const f of readdirSync(dataPath('cifar10', 'test', cls))
          .sort()
          .slice(0, 8))
          copyFileSync(dataPath('cifar10', 'test', cls, f), join(data, split, cls, f));
      }
    const trained = await run([
      ...['train', '--data', data, '--format', 'images', '--backbone', 'convnet', '--width', '0.125'],
      ...['--image-size', '8', '--epochs', '2', '--batch-size', '4', '--out', out, '--backend', 'wasm'],
      ...['--monitor-split', 'test', '--monitor-limit', '16'],
    ]);
    expect(trained.code).toBe(0);
    expect(trained.lines).toContain(`training curves: ${join(out, 'training.html')}`);
    // Extend it: the page marks where the schedule was re-planned.
    expect((await run(['resume', out, '--epochs', '3'])).code).toBe(0);
  }, 120_000);

  it('selfsup-byol report writes the page: loss, lr, tau, collapse ratio and monitor accuracy as SVG', async () => {
    const file = join(root, 'curves.html');
    expect(await run(['report', out, '--out', file])).toEqual({ code: 0, lines: [`training curves: ${file}`] });
    const html = readFileSync(file, 'utf8');
    for (const id of ['loss', 'lr', 'tau', 'collapse', 'monitor']) expect(html).toContain(`<figure id="${id}">`);
    expect(html).toContain('>extend</text>');
    expect(html).toContain('step 12 of 12');
    expect((await run(['report', root])).lines[0]).toMatch(
      /is not a selfsup-byol run folder: .*metrics\.jsonl is missing/,
    );
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'the page renders in headless Chromium: no errors, five non-blank charts',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(pathToFileURL(join(out, 'training.html')).href);
        expect(problems).toEqual([]);
        expect(await page.locator('figure svg').count()).toBe(5);
        for (const id of ['loss', 'lr', 'tau', 'collapse', 'monitor']) {
          const chart = page.locator(`#${id} svg`);
          const box = (await chart.boundingBox())!;
          expect(box.width).toBeGreaterThan(300);
          expect(await chart.locator('path').count()).toBeGreaterThanOrEqual(1);
          expect(await inkFraction(await chart.screenshot())).toBeGreaterThan(0.01);
        }
        expect(await page.locator('table.config td').first().textContent()).toBeTruthy();
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
