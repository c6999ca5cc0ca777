import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRunFolder } from './run-lock';

describe('lockRunFolder (issue #16: two runs on one folder)', () => {
  it('refuses a folder held by a live process, naming its PID; takes over a dead one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ssl-bench-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(out, LOCK_FILE), `${holder.pid}\n`);
      expect(() => lockRunFolder(out)).toThrow(
        new RegExp(`run folder .* is in use by ssl-bench process ${holder.pid} \\(lock file .*${LOCK_FILE}\\)`),
      );
      // Its parent PID lets a shard in.
      expect(() => lockRunFolder(out, holder.pid)()).not.toThrow();
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    const release = lockRunFolder(out); // the holder is gone: a stale lock
    expect(readFileSync(join(out, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});
