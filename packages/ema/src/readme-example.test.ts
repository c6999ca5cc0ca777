// Keeps the README's example true: the README must contain src/readme-example.ts
// verbatim, and running that file must show tau rising and the target trailing.
import { expect, it } from 'vitest';
import { describeReadmeExample } from '@selfsup/testing';

describeReadmeExample(
  new URL('../README.md', import.meta.url),
  new URL('./readme-example.ts', import.meta.url),
  (log) => {
    it('runs: tau rises from 0.99 and the target lags behind the online network', async () => {
      await import('./readme-example');
      const rows = log.mock.calls.filter(([label]) => label === 'step') as [
        string,
        number,
        string,
        string,
        string,
        number,
      ][];
      expect(rows.map((r) => r[1])).toEqual([0, 10, 20, 30, 40]);
      const taus = rows.map((r) => Number(r[3]));
      expect(taus[0]).toBe(0.99);
      taus.slice(1).forEach((tau, i) => expect(tau).toBeGreaterThan(taus[i]));
      rows.forEach((r) => expect(r[5]).toBeGreaterThan(0));
    });
  },
);
