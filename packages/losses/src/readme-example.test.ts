// Keeps the README's example true: the README must contain src/readme-example.ts
// verbatim, and running that file must print sensible values.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

describe('README example', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  afterAll(() => log.mockRestore());

  it('is the code of src/readme-example.ts', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
  });

  it('runs and prints the losses', async () => {
    await import('./readme-example');
    const printed = new Map(log.mock.calls.map(([label, ...values]) => [label as string, values as number[]]));
    expect(printed.get('BYOL loss')![0]).toBeGreaterThan(0);
    expect(printed.get('BYOL loss')![0]).toBeLessThanOrEqual(8);
    const [dpMax, , dzMax] = printed.get('max |dL/dp|')!;
    expect(dpMax).toBeGreaterThan(0);
    expect(dzMax).toBe(0);
    expect(printed.get('NT-Xent')![0]).toBeGreaterThan(0);
    expect(printed.get('Barlow Twins')![0]).toBeGreaterThan(0);
  });
});
