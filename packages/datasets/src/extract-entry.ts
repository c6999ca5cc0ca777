import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface ExtractOptions {
  /** Most bytes the archive may expand to, all entries together (default 32 GiB): a ceiling against decompression bombs. */
  maxBytes?: number;
}

export const DEFAULT_MAX_EXTRACT_BYTES = 32 * 2 ** 30;

/** Counts the bytes an extraction writes and stops it at the ceiling with an error naming the archive. */
export class ExtractBudget {
  private used = 0;
  readonly max: number;
  constructor(
    options: ExtractOptions,
    private readonly archive: string,
  ) {
    this.max = options.maxBytes ?? DEFAULT_MAX_EXTRACT_BYTES;
    if (!Number.isSafeInteger(this.max) || this.max < 0) {
      throw new Error(`${archive}: maxBytes must be a non-negative integer, got ${options.maxBytes}`);
    }
  }

  /** Reserve `n` more bytes for entry `name`, or throw before anything is written. */
  take(n: number, name: string): void {
    this.used += n;
    if (this.used > this.max) {
      throw new Error(
        `${this.archive}: entry '${name}' takes the extracted size past the limit of ${this.max} bytes (options.maxBytes)`,
      );
    }
  }
}

/** Stream an entry's chunks into `target`; any file-system error names the archive, the entry and the problem. */
export async function writeEntry(
  target: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  archive: string,
  name: string,
): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    await mkdir(dirname(target), { recursive: true });
    fh = await open(target, 'w');
    for await (const chunk of chunks) await fh.write(chunk);
  } catch (err) {
    throw entryError(err, archive, name);
  } finally {
    await fh?.close();
  }
}

/** Create a folder entry, naming the archive and the entry on failure (e.g. a file of the same name exists). */
export async function makeFolderEntry(target: string, archive: string, name: string): Promise<void> {
  try {
    await mkdir(target, { recursive: true });
  } catch (err) {
    throw entryError(err, archive, name);
  }
}

function entryError(err: unknown, archive: string, name: string): Error {
  // Our own errors (corrupt data, limits) already name the archive.
  if (!(err as NodeJS.ErrnoException).syscall) return err as Error;
  const { code } = err as NodeJS.ErrnoException;
  const why =
    code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR'
      ? 'a file and a folder of the same name in the archive (or already in the destination)'
      : (err as Error).message;
  return new Error(`${archive}: cannot write entry '${name}': ${why} (${code})`);
}
