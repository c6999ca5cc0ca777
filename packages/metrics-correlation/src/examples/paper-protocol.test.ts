import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const source = readFileSync(new URL('./paper-protocol.ts', import.meta.url), 'utf8');

describe('README worked example (the paper protocol)', () => {
  const printed: string[] = [];
  let example: typeof import('./paper-protocol');

  beforeAll(async () => {
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    example = await import('./paper-protocol');
    log.mockRestore();
  });
  afterAll(() => vi.restoreAllMocks());

  it('README shows this exact code (with the package import a user writes)', () => {
    const asPublished = source.replace("from '../index'", "from '@selfsup/metrics-correlation'");
    expect(readme).toContain(asPublished.trim());
  });

  it('README shows exactly what the code prints', () => {
    expect(printed).toHaveLength(5);
    for (const line of printed) expect(readme).toContain(line);
  });

  it('has one row per task plus the mean, dropping the model dtd lacks', () => {
    const { rows } = example;
    expect(rows.map((r) => r.task)).toEqual(['cifar10', 'pets', 'flowers', 'dtd', 'mean']);
    const dtd = rows.find((r) => r.task === 'dtd')!;
    expect(dtd.missing).toEqual(['h']);
    expect(dtd.n).toBe(7);
    expect(rows.find((r) => r.task === 'mean')!.models).not.toContain('h');
  });

  it('renders the mean row as an SVG scatter plot with every model labelled', () => {
    expect(example.svg.startsWith('<svg')).toBe(true);
    for (const model of 'abcdefg') expect(example.svg).toContain(`>${model}</text>`);
  });
});
