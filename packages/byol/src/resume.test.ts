import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsHeader } from '@selfsup/runtime/node';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';

const BIN = fileURLToPath(new URL('../bin/selfsup-byol.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'byol-resume-'));
const photos = join(root, 'photos');

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

const trainArgv = (out: string, ...extra: string[]) => [
  ...['train', '--data', photos, '--format', 'images', '--backbone', 'convnet', '--width', '0.125'],
  ...['--image-size', '8', '--epochs', '2', '--batch-size', '4', '--out', out, '--backend', 'wasm', '--threads', '1'],
  ...extra,
];

const metrics = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const config = (out: string) => JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));

/** Start the built CLI, wait until metrics.jsonl has `lines` lines, send `signal`; resolves with exit code and stderr. */
function runUntil(argv: string[], out: string, lines: number, signal: NodeJS.Signals) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      const file = join(out, 'metrics.jsonl');
      if (existsSync(file) && readFileSync(file, 'utf8').split('\n').length > lines) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, stderr });
    });
  });
}

describeWithData('runs you can always continue (real CIFAR-10 photos, the built CLI for kills)', () => {
  beforeAll(() => {
    mkdirSync(photos);
    for (const f of readdirSync(dataPath('cifar10', 'test', 'horse'))
      .sort()
      .slice(0, 8))
      copyFileSync(dataPath('cifar10', 'test', 'horse', f), join(photos, f));
  });

  it('a run killed before its first checkpoint restarts with the same command; its temp files are removed', async () => {
    const out = join(root, 'killed');
    // 4 steps in all, checkpoint only at the end: SIGKILL after the first step leaves no checkpoint.
    const killed = await runUntil(trainArgv(out, '--checkpoint-every', '100'), out, 1, 'SIGKILL');
    expect(killed.code).toBe(null);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(false);
    // What atomicWriteStream leaves when killed mid-write (a pid that no longer runs).
    writeFileSync(join(out, '.checkpoint.safetensors.999999999.0a1b2c3d.tmp'), 'half');
    const again = await run(trainArgv(out));
    expect(again.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'checkpoint.safetensors',
      'config.json',
      'encoder.safetensors',
      'metrics.jsonl',
      'training.html',
    ]);
    expect(metrics(out).map((r) => r.step)).toEqual([1, 2, 3, 4]);
  }, 60_000);

  it('SIGINT checkpoints and says how to continue; resume needs no flags, drops a torn last line, extends with --epochs', async () => {
    const out = join(root, 'interrupted');
    const stopped = await runUntil(trainArgv(out, '--checkpoint-every', '100'), out, 1, 'SIGINT');
    expect(stopped.code).toBe(130);
    const step = Number((await readSafetensorsHeader(join(out, 'checkpoint.safetensors'))).metadata.step);
    expect(step).toBeGreaterThanOrEqual(1);
    expect(stopped.stderr).toContain(`checkpoint at step ${step}; continue with: selfsup-byol resume ${out}`);
    // The process was killed mid-append: a torn line at the end.
    appendFileSync(join(out, 'metrics.jsonl'), '{"step": 99, "loss": 0.1');

    const resumed = await run(['resume', out]);
    expect(resumed.code).toBe(0);
    expect(metrics(out).map((r) => r.step)).toEqual([1, 2, 3, 4]);

    const extended = await run(['resume', out, '--epochs', '3']);
    expect(extended.code).toBe(0);
    const rows = metrics(out);
    expect(rows.find((r) => r.event === 'extend')).toEqual({
      step: 4,
      event: 'extend',
      epochs: { from: 2, to: 3 },
      totalSteps: { from: 4, to: 6 },
    });
    expect(rows.filter((r) => r.loss !== undefined).map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(config(out)).toMatchObject({ epochs: 3, totalSteps: 6 });
    expect((await readSafetensorsHeader(join(out, 'checkpoint.safetensors'))).metadata.step).toBe('6');
  }, 120_000);

  it('a changed hyper-parameter is an error naming it unless --override, which is recorded', async () => {
    const out = join(root, 'override');
    expect((await run(trainArgv(out, '--epochs', '1'))).code).toBe(0);
    const refused = await run(['resume', out, '--epochs', '2', '--base-tau', '0.62']);
    expect(refused).toEqual({
      code: 2,
      lines: [
        `selfsup-byol: resume would change --base-tau 0.99 -> 0.62 from ${join(out, 'config.json')}; pass --override to continue with the new value (it is recorded), or start a new run`,
      ],
    });
    const fixed = await run(['resume', out, '--batch-size', '2', '--proj-hidden', '8', '--seed', '3']);
    expect(fixed.code).toBe(2);
    // The head sizes are the checkpoint's shapes: the recipe resolved at the start (config.json) holds them.
    expect(fixed.lines[0]).toBe(
      'selfsup-byol: cannot change on resume: --batch-size 2 (the run has 4); --proj-hidden 8 (the run has 1024); --seed 3 (the run has 0); that is a new run (selfsup-byol train --out <new folder>)',
    );
    const shorter = await run(['resume', out, '--epochs', '1', '--lr', '0.1']);
    expect(shorter).toMatchObject({ code: 2 });

    const forced = await run(['resume', out, '--epochs', '2', '--base-tau', '0.62', '--override']);
    expect(forced.code).toBe(0);
    expect(metrics(out).find((r) => r.event === 'override')).toEqual({
      step: 2,
      event: 'override',
      changes: { 'base-tau': { from: 0.99, to: 0.62 } },
    });
    expect(config(out)).toMatchObject({
      baseTau: 0.62,
      epochs: 2,
      overrides: [{ step: 2, changes: { 'base-tau': { from: 0.99, to: 0.62 } } }],
    });
    // The new τ schedule starts from 0.62 where the override happened.
    const tau = metrics(out).find((r) => r.step === 3 && r.tau !== undefined).tau;
    expect(tau).toBeLessThan(0.9);
    // Resuming again with the stored (overridden) value is no change at all.
    expect((await run(['resume', out, '--epochs', '3'])).code).toBe(0);
  }, 120_000);

  it('resume mistakes: no run folder, --out instead of the folder', async () => {
    expect(await run(['resume'])).toEqual({
      code: 2,
      lines: ['selfsup-byol: resume takes the run folder first: selfsup-byol resume <run> [flags]'],
    });
    expect((await run(['resume', photos])).lines[0]).toMatch(
      /photos is not a selfsup-byol run folder: .*config\.json is missing/,
    );
    expect((await run(['resume', root, '--out', root])).lines[0]).toMatch(/not --out/);
  });
});
