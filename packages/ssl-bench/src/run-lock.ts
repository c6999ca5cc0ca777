import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '@selfsup/runtime/node';

/** The lock file of a run folder; it holds the PID of the `ssl-bench` process that owns the folder. */
export const LOCK_FILE = 'ssl-bench.lock';

/**
 * Take the run folder `out` for this process, so two runs on one folder never
 * compute the same cells twice nor interleave a pretraining's metrics. A lock
 * left by a process that no longer exists (killed with -9) is taken over; one
 * held by a live process is an error naming its PID. Shard processes pass
 * `parent` (their parent's PID, which holds the lock for them). Returns the release.
 */
export function lockRunFolder(out: string, parent?: number): () => void {
  const path = join(out, LOCK_FILE);
  mkdirSync(out, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        if (holder(path) === process.pid) rmSync(path, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = holder(path);
    if (pid !== undefined && (pid === process.pid || pid === parent)) return () => undefined;
    if (pid !== undefined && processAlive(pid)) {
      throw new Error(
        `run folder ${out} is in use by ssl-bench process ${pid} (lock file ${path}); ` +
          'wait for that run to finish, or delete the lock file if that process is not ssl-bench',
      );
    }
    rmSync(path, { force: true }); // stale: its process is gone
  }
  throw new Error(`run folder ${out}: cannot take the lock file ${path} (other processes keep taking it)`);
}

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
