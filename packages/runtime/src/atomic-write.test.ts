import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write';
import { processAlive } from './process-alive';

describe('temp files of killed writers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-atomic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A process that has exited (and was reaped): its pid names no process any more.
  const gone = spawnSync(process.execPath, ['-e', '']).pid as number;

  it('processAlive: this process is, an exited one is not', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(gone)).toBe(false);
  });

  it("removes only a dead writer's temp files, not a live one's nor other files", async () => {
    await writeFileAtomic(join(dir, 'metrics.jsonl'), '{"step":1}\n');
    const dead = `.checkpoint.safetensors.${gone}.0a1b2c3d.tmp`;
    const live = `.encoder.safetensors.${process.pid}.deadbeef.tmp`;
    for (const name of [dead, live, '.hidden', 'notes.tmp']) writeFileSync(join(dir, name), 'partial');
    expect(removeStaleTempFiles(dir)).toEqual([dead]);
    expect(readdirSync(dir).sort()).toEqual([live, '.hidden', 'metrics.jsonl', 'notes.tmp'].sort());
    expect(removeStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });
});
