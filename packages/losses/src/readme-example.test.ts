// Keeps the README's example true: the README must contain src/readme-example.ts
// verbatim, and running that file must print sensible values.
import { expect, it } from 'vitest';
import { describeReadmeExample } from '@selfsup/testing';

describeReadmeExample(
  new URL('../README.md', import.meta.url),
  new URL('./readme-example.ts', import.meta.url),
  (log) => {
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
  },
);
