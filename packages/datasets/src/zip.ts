import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { ExtractBudget, type ExtractOptions, makeFolderEntry, writeEntry } from './extract-entry';
import { extractionRoot } from './safe-path';

const END_OF_CENTRAL_DIR = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
// The central directory is held in memory: EuroSAT's (27,000 entries) is 2.7 MB.
const MAX_DIRECTORY_BYTES = 256 * 2 ** 20;
const CHUNK = 1 << 20;

/**
 * Extract a .zip into `dest` with node:zlib (no dependency): the central
 * directory lists each entry's method, sizes, CRC-32 and where its local
 * header is; bodies are stored (0) or deflated (8), streamed to disk and
 * checked against their sizes and CRC-32. Every offset and size is checked
 * against the file before it is read. No ZIP64 (archives under 4 GiB and
 * 65535 entries, as EuroSAT's). Returns the relative names written.
 */
export async function extractZip(archive: string, dest: string, options: ExtractOptions = {}): Promise<string[]> {
  const budget = new ExtractBudget(options, archive);
  const fh = await open(archive, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (position: number, length: number, what: string) => {
      if (position < 0 || position + length > size)
        throw new Error(
          `${archive}: corrupt zip: ${what} (${length} bytes at ${position}) lies outside the ${size}-byte file`,
        );
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      if (bytesRead !== length) throw new Error(`${archive}: truncated zip (wanted ${length} bytes at ${position})`);
      return buf;
    };
    // The end record sits in the last 22 bytes plus an optional comment of up to 65535 bytes.
    const tailLength = Math.min(size, 22 + 65535);
    const tailStart = size - tailLength;
    const tail = await read(tailStart, tailLength, 'end of file');
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0 && eocd < 0; i--) if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIR) eocd = i;
    if (eocd < 0) throw new Error(`${archive}: not a zip file or truncated (no end-of-central-directory record)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (directorySize > MAX_DIRECTORY_BYTES || directoryOffset + directorySize > tailStart + eocd)
      throw new Error(
        `${archive}: corrupt zip: central directory of ${directorySize} bytes at ${directoryOffset} does not end before its end record at ${tailStart + eocd}`,
      );
    const directory = await read(directoryOffset, directorySize, 'central directory');
    const target = await extractionRoot(dest, archive);

    const written: string[] = [];
    for (let p = 0, k = 0; k < entries; k++) {
      if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_ENTRY)
        throw new Error(`${archive}: corrupt central directory at entry ${k}`);
      const flags = directory.readUInt16LE(p + 8);
      const method = directory.readUInt16LE(p + 10);
      const crc = directory.readUInt32LE(p + 16);
      const compressedSize = directory.readUInt32LE(p + 20);
      const uncompressedSize = directory.readUInt32LE(p + 24);
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      const localOffset = directory.readUInt32LE(p + 42);
      if (p + 46 + nameLength > directory.length)
        throw new Error(`${archive}: corrupt central directory: entry ${k}'s name runs past its end`);
      const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
      p += 46 + nameLength + extraLength + commentLength;

      const path = await target(name);
      if (name.endsWith('/')) {
        await makeFolderEntry(path, archive, name);
        continue;
      }
      if (flags & 1) throw new Error(`${archive}: entry '${name}' is encrypted, which is not supported`);
      if (method !== 0 && method !== 8)
        throw new Error(
          `${archive}: entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported`,
        );
      if (method === 0 && compressedSize !== uncompressedSize)
        throw new Error(
          `${archive}: entry '${name}' is stored but its sizes differ (${compressedSize} != ${uncompressedSize})`,
        );
      const local = await read(localOffset, 30, `local header of entry '${name}'`);
      if (local.readUInt32LE(0) !== LOCAL_HEADER)
        throw new Error(`${archive}: corrupt local header of entry '${name}'`);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataStart + compressedSize > size)
        throw new Error(
          `${archive}: corrupt zip: entry '${name}' claims ${compressedSize} bytes at ${dataStart}, past the end of the ${size}-byte file`,
        );
      budget.take(uncompressedSize, name);
      const body = entryBody(archive, name, dataStart, compressedSize, method, uncompressedSize, crc);
      await writeEntry(path, body, archive, name);
      written.push(name);
    }
    return written;
  } finally {
    await fh.close();
  }
}

/** An entry's content in chunks (never whole), checked against the declared size and CRC-32 as it streams. */
async function* entryBody(
  archive: string,
  name: string,
  start: number,
  length: number,
  method: number,
  expectedSize: number,
  expectedCrc: number,
): AsyncGenerator<Buffer> {
  const raw = length === 0 ? [] : createReadStream(archive, { start, end: start + length - 1, highWaterMark: CHUNK });
  let source: AsyncIterable<Buffer> | never[] = raw as AsyncIterable<Buffer> | never[];
  if (method === 8 && length > 0) {
    const inflate = createInflateRaw();
    inflate.on('error', () => undefined); // seen through the iterator; none may go uncaught after it stopped
    (raw as NodeJS.ReadableStream).on('error', (err) => inflate.destroy(err));
    source = (raw as NodeJS.ReadableStream).pipe(inflate);
  }
  let crc = 0;
  let produced = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      produced += chunk.length;
      if (produced > expectedSize)
        throw new Error(`${archive}: entry '${name}' is corrupt (expands past its declared ${expectedSize} bytes)`);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (err) {
    if ((err as Error).message.startsWith(archive)) throw err;
    throw new Error(`${archive}: entry '${name}' is corrupt (${(err as Error).message})`);
  } finally {
    if (!Array.isArray(raw)) raw.destroy();
    if (source !== raw) (source as ReturnType<typeof createInflateRaw>).destroy();
  }
  if (produced !== expectedSize)
    throw new Error(`${archive}: entry '${name}' is corrupt (${produced} bytes, declared ${expectedSize})`);
  if (crc !== expectedCrc) throw new Error(`${archive}: entry '${name}' is corrupt (CRC-32 mismatch)`);
}
