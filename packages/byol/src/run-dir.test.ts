import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunDir, runPaths } from './run-dir';

describe('checkRunDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'byol-rundir-'));

  it('accepts a new folder under a writable one without creating it', () => {
    expect(checkRunDir(join(root, 'a', 'b'), false)).toBeNull();
    expect(readdirSync(root)).toEqual([]);
  });

  it('rejects a path below a file, a file, and resume without a checkpoint', () => {
    writeFileSync(join(root, 'file'), 'x');
    expect(checkRunDir(join(root, 'file', 'run'), false)).toMatch(/cannot be created: .*file is not a writable folder/);
    expect(checkRunDir(join(root, 'file'), false)).toMatch(/exists and is not a folder/);
    expect(checkRunDir(join(root, 'missing'), true)).toMatch(/--resume given but --out .* does not exist/);
  });

  it('refuses to overwrite a previous run unless resuming it', () => {
    const out = join(root, 'run');
    mkdirSync(out);
    writeFileSync(runPaths(out).checkpoint, 'x');
    expect(checkRunDir(out, false)).toMatch(/already holds a run; continue it with: selfsup-byol resume /);
    expect(checkRunDir(out, true)).toBeNull();
  });
});
