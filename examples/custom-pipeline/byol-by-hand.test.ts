import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const example = fileURLToPath(new URL('./byol-by-hand.mjs', import.meta.url));

it('the root README shows this example verbatim', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(readFileSync(example, 'utf8').trim());
});

it('runs: BYOL steps with a finite loss and a rising tau', () => {
  const out = execFileSync(process.execPath, [example], { env: { ...process.env, STEPS: '3' }, encoding: 'utf8' });
  const steps = [...out.matchAll(/^step (\d+) loss ([\d.]+) tau ([\d.]+)$/gm)].map((m) => m.slice(1).map(Number));
  expect(steps.map((s) => s[0])).toEqual([1, 2, 3]);
  steps.forEach(([, loss]) => expect(loss).toBeGreaterThan(0));
  expect(steps[2][2]).toBeGreaterThan(steps[0][2]);
});
