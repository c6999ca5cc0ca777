// Keeps the README's example true: the README must contain src/readme-example.ts
// verbatim, and running that file must show the loss falling and the state restored.
import { expect, it } from 'vitest';
import { describeReadmeExample } from '@selfsup/testing';

describeReadmeExample(
  new URL('../README.md', import.meta.url),
  new URL('./readme-example.ts', import.meta.url),
  (log) => {
    it('runs: warmup then decay, falling loss, resumed step count', async () => {
      await import('./readme-example');
      const steps = log.mock.calls.filter(([label]) => label === 'step') as [
        string,
        number,
        string,
        number,
        string,
        number,
      ][];
      expect(steps.map((s) => s[1])).toEqual([0, 20, 40, 60, 80, 99]);
      expect(steps[0][3]).toBe(0); // warmup starts at lr 0
      expect(steps[1][3]).toBeLessThan(0.4); // past the peak (0.2 · 512 / 256)
      // η = 1e-3 moves the kernel by ~lr·η of its norm per step: a slow, steady fall on a toy problem.
      expect(steps.at(-1)![5]).toBeLessThan(0.8 * steps[0][5]);
      const resumed = log.mock.calls.find(([label]) => label === 'resumed at step')!;
      expect(resumed[1]).toBe(100);
      expect(resumed[3]).toBe(0); // the schedule's end
    });
  },
);
