import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGunzip } from 'node:zlib';
import { entryPath } from './safe-path';

const BLOCK = 512;

/** Reads exact byte counts from an async stream of chunks. */
class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Exactly `n` bytes, or null when the stream ends first. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buffered < n) {
      const { value, done } = await this.source.next();
      if (done) return null;
      this.chunks.push(value);
      this.buffered += value.length;
    }
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, n);
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

/**
 * Extract a .tar.gz (POSIX ustar, with GNU long names and pax `path` records)
 * into `dest`, streaming: node:zlib gunzips, and this reads 512-byte headers
 * and file bodies. Regular files and folders only; links are skipped. Returns
 * the relative names written.
 */
export async function extractTarGz(archive: string, dest: string): Promise<string[]> {
  const reader = new ByteReader(createReadStream(archive).pipe(createGunzip())[Symbol.asyncIterator]());
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
      throw new Error(`${archive}: corrupt tar header after ${written.length} entries (checksum ${sum} != ${stored})`);

    const size = octal(header, 124, 12, 'size', archive);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = header.toString('latin1', 257, 262) === 'ustar' ? text(header, 345, 155) : '';
    const name = nextName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const body = await reader.read(Math.ceil(size / BLOCK) * BLOCK);
    if (!body) throw new Error(`${archive}: truncated tar archive inside entry '${name}'`);
    const content = body.subarray(0, size);
    nextName = type === 'L' ? text(content, 0, size) : type === 'x' ? paxPath(content) : undefined;
    if (type === '0' || type === '7') {
      const target = entryPath(dest, name, archive);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
      written.push(name);
    } else if (type === '5') {
      await mkdir(entryPath(dest, name, archive), { recursive: true });
    }
  }
}
