import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive';

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

// The temp files of tempPathFor: `.<name>.<pid>.<hex>.tmp`.
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Remove the temp files a killed writer left half-written in `dir` (not those of
 * a live process); returns their names.
 */
export function removeStaleTempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const stale = readdirSync(dir).filter((name) => {
    const m = TEMP_FILE.exec(name);
    return m !== null && !processAlive(Number(m[1]));
  });
  for (const name of stale) rmSync(join(dir, name), { force: true });
  return stale;
}

/**
 * Write a file by streaming chunks into a temp file beside it, fsync, then rename
 * over the target: readers see the old file or the whole new one, never a part.
 */
export async function atomicWriteStream(path: string, write: (fh: FileHandle) => Promise<void>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'wx');
  try {
    await write(fh);
    await fh.sync();
    await fh.close();
    renameSync(tmp, path);
  } catch (err) {
    await fh.close().catch(() => undefined);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Write a whole file atomically (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await atomicWriteStream(path, async (fh) => {
    await fh.writeFile(data);
  });
}
