import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
