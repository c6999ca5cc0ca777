import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';

const root = mkdtempSync(join(tmpdir(), 'byol-folders-'));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

const tiny = (data: string, out: string, ...extra: string[]) => [
  'train',
  '--data',
  data,
  '--backbone',
  'convnet',
  '--width',
  '0.125',
  '--image-size',
  '8',
  '--epochs',
  '1',
  '--batch-size',
  '4',
  '--out',
  out,
  '--backend',
  'wasm',
  '--threads',
  '1',
  ...extra,
];

describeWithData('selfsup-byol train on folders of photos (real CIFAR-10 files)', () => {
  const flat = join(root, 'flat');
  const nested = join(root, 'nested');
  beforeAll(() => {
    // flat/: 8 JPEGs, a README.txt and a corrupt JPEG; nested/: train/ and test/ with class folders.
    mkdirSync(flat);
    const cats = readdirSync(dataPath('cifar10', 'test', 'cat'))
      .sort()
      .slice(0, 8);
    for (const f of cats) copyFileSync(dataPath('cifar10', 'test', 'cat', f), join(flat, f));
    writeFileSync(join(flat, 'README.txt'), 'photos of cats\n');
    writeFileSync(join(flat, 'broken.jpg'), 'truncated');
    for (const split of ['train', 'test'])
      for (const cls of ['cat', 'dog']) {
        mkdirSync(join(nested, split, cls), { recursive: true });
        for (const f of readdirSync(dataPath('cifar10', 'test', cls))
          .sort()
          .slice(0, 6))
          copyFileSync(dataPath('cifar10', 'test', cls, f), join(nested, split, cls, f));
      }
  });

  it('--format images trains on a flat folder, skipping the stray file; a corrupt image needs --skip-bad-images', async () => {
    const refused = await run(tiny(flat, join(root, 'run-flat'), '--format', 'images'));
    expect(refused.code).toBe(2);
    expect(refused.lines.at(-1)).toMatch(/^selfsup-byol: loadImages: cannot decode .*broken\.jpg/);
    const { code, lines } = await run(tiny(flat, join(root, 'run-flat'), '--format', 'images', '--skip-bad-images'));
    expect(code).toBe(0);
    expect(lines).toContain(`skipped 1 non-image file in ${flat} (README.txt)`);
    expect(lines.filter((l) => l.includes('broken.jpg'))).toHaveLength(1);
    expect(lines).toContain(`data: 8 images of 8x8x3 from ${flat}`);
  });

  it('a nested folder uses train/ by default; a mistyped split or monitor split is an error listing the real ones', async () => {
    const typo = await run(tiny(nested, join(root, 'run-typo'), '--format', 'imagefolder', '--split', 'tarin'));
    expect(typo).toEqual({
      code: 2,
      lines: [
        expect.stringMatching(/^backend: wasm/),
        `selfsup-byol: loadDataset: split 'tarin': there is no folder ${join(nested, 'tarin')}; the sub-folders of ${nested} are: test, train`,
      ],
    });
    const monitor = await run(tiny(nested, join(root, 'run-m'), '--format', 'images', '--monitor-split', 'tset'));
    expect(monitor.code).toBe(2);
    expect(monitor.lines.at(-1)).toBe(
      `selfsup-byol: loadDataset: split 'tset': there is no folder ${join(nested, 'tset')}; the sub-folders of ${nested} are: test, train`,
    );
    const { code, lines } = await run(
      tiny(nested, join(root, 'run-nested'), '--format', 'images', '--monitor-split', 'test', '--monitor-limit', '12'),
    );
    expect(code).toBe(0);
    expect(lines).toContain(`data: 12 images of 8x8x3 from ${nested}`);
    const metrics = readFileSync(join(root, 'run-nested', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(metrics.at(-1)!).monitor.knnTop1).toBeGreaterThanOrEqual(0);
  });
});
