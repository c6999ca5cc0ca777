// Keeps the README's example true: the README must contain src/readme-example.ts
// verbatim, and running that file must show tau rising and the target trailing.
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

  it('runs: tau rises from 0.99 and the target lags behind the online network', async () => {
    await import('./readme-example');
    const rows = log.mock.calls.filter(([label]) => label === 'step') as [string, number, string, string, string, number][];
    expect(rows.map((r) => r[1])).toEqual([0, 10, 20, 30, 40]);
    const taus = rows.map((r) => Number(r[3]));
    expect(taus[0]).toBe(0.99);
    taus.slice(1).forEach((tau, i) => expect(tau).toBeGreaterThan(taus[i]));
    rows.forEach((r) => expect(r[5]).toBeGreaterThan(0));
  });
});
