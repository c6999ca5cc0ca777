import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { DATA_DIR, describeWithData } from '@selfsup/testing';

// The README's example is examples/readme.ts verbatim; running it keeps the README true.
describeWithData('README example', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is examples/readme.ts and runs on ../shared/data', async () => {
    const example = readFileSync(new URL('../examples/readme.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation(
      (...args: unknown[]) => void printed.push(args.map((a) => JSON.stringify(a)).join(' ')),
    );
    process.env.SELFSUP_DATA = DATA_DIR;
    await import('../examples/readme');
    expect(printed[0]).toBe('"decoded 1000 images"');
    expect(printed[1]).toBe('[1000,32,32,3] 10');
    expect(printed[2]).toBe(`${JSON.stringify(new Array(10).fill(40))} ${JSON.stringify(new Array(10).fill(10))}`);
    expect(printed.filter((line) => /^"epoch [01]: batch 128,32,32,3 mean 0\.\d{3}"$/.test(line))).toHaveLength(6);
    expect(printed.at(-1)).toMatch(/^\[\d,\d,\d,\d,\d\] 25 25$/);
  });
});
