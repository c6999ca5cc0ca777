import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface DownloadProgress {
  /** Bytes of this file on disk so far (resumed bytes included). */
  received: number;
  /** Size of the whole file when the server says, else undefined. */
  total?: number;
}

export interface FetchFileOptions {
  /** Expected SHA-256, lowercase hex; the file is kept only if it matches. */
  sha256: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** Retries after a cut connection, each resuming where the last stopped (default 3). */
  retries?: number;
  /** A connection that sends nothing for this long counts as cut (default 60000 ms). */
  stallTimeoutMs?: number;
}

/** SHA-256 of a file, lowercase hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** An error's message with its cause (fetch reports "fetch failed" and puts the reason there). */
function describe(err: unknown): string {
  const { message, cause } = err as Error & { cause?: Error & { code?: string } };
  return cause ? `${message}: ${cause.code ?? cause.message}` : message;
}

/** An HTTP status that retrying will not fix. */
class HttpStatusError extends Error {}

/** One GET that appends to `part` from its current size (HTTP Range), or restarts it when the server ignores the range; a stalled connection is aborted. */
async function fetchInto(
  url: string,
  part: string,
  stallTimeoutMs: number,
  onProgress?: (p: DownloadProgress) => void,
): Promise<void> {
  const offset = existsSync(part) ? statSync(part).size : 0;
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(new Error(`no data for ${stallTimeoutMs} ms`)), stallTimeoutMs);
  };
  watchdog();
  try {
    await fetchWithWatchdog(url, part, offset, abort.signal, watchdog, onProgress);
  } finally {
    clearTimeout(timer);
  }
}

async function fetchWithWatchdog(
  url: string,
  part: string,
  offset: number,
  signal: AbortSignal,
  onData: () => void,
  onProgress?: (p: DownloadProgress) => void,
): Promise<void> {
  const response = await fetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal });
  // 416: the .part already holds the whole file; the checksum decides.
  if (response.status === 416 && offset > 0) return;
  const resumed =
    response.status === 206 && (response.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`);
  if (!resumed && response.status !== 200) {
    throw new HttpStatusError(`GET ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  if (!response.body) throw new HttpStatusError(`GET ${url}: HTTP ${response.status} with no body`);
  const start = resumed ? offset : 0;
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? start + length : undefined;
  let received = start;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    onData();
    received += chunk.length;
    onProgress?.({ received, total });
  });
  const file = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  try {
    await pipeline(body, file);
  } finally {
    // A cut connection rejects the pipeline while writes may still be in flight: wait until
    // the file is closed, so the .part's size is final when this returns (the next attempt
    // resumes from it).
    if (!file.closed) await once(file, 'close');
  }
  if (total !== undefined && received !== total)
    throw new Error(`GET ${url}: connection closed after ${received} of ${total} bytes`);
}

/**
 * Download `url` to `dest`: bytes go to `dest.part` (resumed with HTTP Range
 * after a cut connection, also across calls), and `dest.part` is renamed to
 * `dest` only when its SHA-256 matches, so `dest` is always whole and right.
 * A mismatch deletes the download and throws. An existing `dest` with the
 * right checksum is kept without a request.
 */
export async function fetchFile(url: string, dest: string, options: FetchFileOptions): Promise<void> {
  const expected = options.sha256?.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected ?? ''))
    throw new Error(`fetchFile: sha256 must be 64 hex digits, got ${JSON.stringify(options.sha256)}`);
  const retries = options.retries ?? 3;
  const stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
  if (existsSync(dest)) {
    if ((await sha256File(dest)) === expected) return;
    rmSync(dest);
  }
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchInto(url, part, stallTimeoutMs, options.onProgress);
      break;
    } catch (err) {
      if (err instanceof HttpStatusError || attempt >= retries) {
        throw new Error(
          `${url}: ${describe(err)} (after ${attempt + 1} attempt(s); ${existsSync(part) ? `partial download kept in ${part} for resuming` : 'nothing saved'})`,
        );
      }
    }
  }
  const actual = await sha256File(part);
  if (actual !== expected) {
    rmSync(part, { force: true });
    throw new Error(`GET ${url}: SHA-256 mismatch, expected ${expected}, got ${actual}; the download was deleted`);
  }
  renameSync(part, dest);
}
