import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChromium, inkFraction, withPageInChromium } from '@selfsup/testing/chromium';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';

const root = mkdtempSync(join(tmpdir(), 'byol-report-'));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
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

  it.skipIf(!hasChromium)(
    'the page renders in headless Chromium: no errors, five non-blank charts',
    async () => {
      await withPageInChromium(join(out, 'training.html'), async (page, problems) => {
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
      });
    },
    60_000,
  );
});
