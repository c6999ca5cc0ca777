import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ExtractBudget, type ExtractOptions, makeFolderEntry, writeEntry } from './extract-entry';
import { extractionRoot } from './safe-path';

const BLOCK = 512;
// GNU long names and pax headers are held in memory: real ones are a few hundred bytes.
const MAX_META_BYTES = 1 << 20;

/** Reads exact byte counts from an async stream of chunks; stream errors (zlib) come out naming the archive. */
class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  constructor(
    private readonly source: AsyncIterator<Buffer>,
    private readonly archive: string,
  ) {}

  private async next(): Promise<Buffer | null> {
    try {
      const { value, done } = await this.source.next();
      return done ? null : value;
    } catch (err) {
      const { code } = err as NodeJS.ErrnoException;
      if (code?.startsWith('Z_')) throw new Error(`${this.archive}: corrupt gzip data (${(err as Error).message})`);
      throw new Error(`${this.archive}: cannot read: ${(err as Error).message}`);
    }
  }

  /** Exactly `n` bytes (n small: headers), or null when the stream ends first. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buffered < n) {
      const value = await this.next();
      if (!value) return null;
      this.chunks.push(value);
      this.buffered += value.length;
    }
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, n);
  }

  /** The next `n` bytes as they arrive (never all at once), then `skip` more dropped; `onShort` when the stream ends first. */
  async *stream(n: number, skip: number, onShort: () => Error): AsyncGenerator<Buffer> {
    let left = n + skip;
    while (left > 0) {
      if (this.buffered === 0) {
        const value = await this.next();
        if (!value) throw onShort();
        this.chunks = [value];
        this.buffered = value.length;
      }
      const chunk = this.chunks.shift()!;
      const take = Math.min(chunk.length, left);
      if (take < chunk.length) this.chunks.unshift(chunk.subarray(take));
      this.buffered -= take;
      // Bytes of the body before `n` are content; the rest is block padding.
      const contentEnd = Math.max(0, Math.min(take, left - skip));
      left -= take;
      if (contentEnd > 0) yield chunk.subarray(0, contentEnd);
    }
  }
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number, what: string, archive: string): number {
  const digits = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw new Error(`${archive}: corrupt tar header (${what} field '${digits}')`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

/** The `path` record of a pax extended header ("<len> path=<value>\n" records). */
function paxPath(body: Buffer): string | undefined {
  const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
  return match?.[1];
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/**
 * Extract a .tar.gz (POSIX ustar, with GNU long names and pax `path` records)
 * into `dest`, streaming: node:zlib gunzips, this reads 512-byte headers, and
 * each file body goes to disk chunk by chunk (memory stays flat whatever the
 * entry sizes). Regular files and folders only; links are skipped. Returns
 * the relative names written.
 */
export async function extractTarGz(archive: string, dest: string, options: ExtractOptions = {}): Promise<string[]> {
  const budget = new ExtractBudget(options, archive);
  const file = createReadStream(archive);
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  // The reader gets gunzip's errors through its iterator; this listener keeps one that comes after
  // the reader stopped (the archive was refused first) from being an uncaught exception.
  gunzip.on('error', () => undefined);
  file.pipe(gunzip);
  try {
    const target = await extractionRoot(dest, archive);
    const reader = new ByteReader(gunzip[Symbol.asyncIterator](), archive);
    const written: string[] = [];
    let nextName: string | undefined;
    for (;;) {
      const header = await reader.read(BLOCK);
      if (!header) throw new Error(`${archive}: truncated tar archive (no end-of-archive blocks)`);
      if (header.every((b) => b === 0)) return written;
      const stored = octal(header, 148, 8, 'checksum', archive);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
      if (sum !== stored)
        throw new Error(
          `${archive}: corrupt tar header after ${written.length} entries (checksum ${sum} != ${stored})`,
        );

      const size = octal(header, 124, 12, 'size', archive);
      const type = String.fromCharCode(header[156] || 0x30);
      const prefix = header.toString('latin1', 257, 262) === 'ustar' ? text(header, 345, 155) : '';
      const name = nextName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      const padding = Math.ceil(size / BLOCK) * BLOCK - size;
      const body = reader.stream(
        size,
        padding,
        () => new Error(`${archive}: truncated tar archive inside entry '${name}'`),
      );
      nextName = undefined;
      if (type === 'L' || type === 'x') {
        if (size > MAX_META_BYTES)
          throw new Error(`${archive}: ${size}-byte long-name/pax header before '${name}' (limit ${MAX_META_BYTES})`);
        const content = await collect(body);
        nextName = type === 'L' ? text(content, 0, size) : paxPath(content);
      } else if (type === '0' || type === '7') {
        budget.take(size, name);
        await writeEntry(await target(name), body, archive, name);
        written.push(name);
      } else {
        if (type === '5') await makeFolderEntry(await target(name), archive, name);
        for await (const _ of body); // skip the body of links and other entry types
      }
    }
  } finally {
    // The end-of-archive blocks can come before the end of the gzip stream: close both either way.
    file.destroy();
    gunzip.destroy();
  }
}
