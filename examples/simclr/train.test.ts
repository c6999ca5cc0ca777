import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runScript } from '../shared/run-script';

it('STEPS=2 trains two steps on the bundled data and prints a finite loss', () => {
  const { out, losses } = runScript('simclr/train.mjs', [], { STEPS: '2' });
  expect(losses.map(([step]) => step)).toEqual([1, 2]);
  losses.forEach(([, loss]) => expect(Number.isFinite(loss)).toBe(true));
  expect(out).toMatch(/simclr: 2 steps in \d+ s, final loss/);
});

it('--out checkpoints and --resume continues exactly: the same losses and encoder as one run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simclr-example-'));
  try {
    const whole = runScript('simclr/train.mjs', ['--out', join(dir, 'a')], { STEPS: '4' });
    const first = runScript('simclr/train.mjs', ['--out', join(dir, 'b'), '--stop-after', '2'], { STEPS: '4' });
    expect(first.losses.map(([step]) => step)).toEqual([1, 2]);
    const rest = runScript('simclr/train.mjs', ['--out', join(dir, 'b'), '--resume'], { STEPS: '4' });
    expect(rest.out).toMatch(/resumed from .*checkpoint.safetensors at step 2\/4/);
    expect([...first.losses, ...rest.losses]).toEqual(whole.losses);
    expect(readFileSync(join(dir, 'b', 'encoder.safetensors'))).toEqual(
      readFileSync(join(dir, 'a', 'encoder.safetensors')),
    );
    expect(
      readFileSync(join(dir, 'b', 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(4);
    expect(() => runScript('simclr/train.mjs', ['--out', join(dir, 'a')], { STEPS: '4' })).toThrow(
      /already holds a run/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('rejects bad flags with one line and exit code 2', () => {
  try {
    runScript('simclr/train.mjs', ['--augment', 'colour'], { STEPS: '2' });
    expect.unreachable();
  } catch (err) {
    const { status, stderr } = err as { status: number; stderr: string };
    expect(status).toBe(2);
    expect(stderr.trim()).toBe("error: --augment must be method or crop-flip, got 'colour'");
  }
});
