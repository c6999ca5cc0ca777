import { expect, it } from 'vitest';
import { runScript } from '../shared/run-script';

it('STEPS=2 trains two steps on the bundled data and prints a finite loss', () => {
  const { out, losses } = runScript('simsiam/train.mjs', [], { STEPS: '2' });
  expect(losses.map(([step]) => step)).toEqual([1, 2]);
  losses.forEach(([, loss]) => expect(Number.isFinite(loss)).toBe(true));
  expect(out).toMatch(/simsiam: 2 steps in \d+ s, final loss/);
});
