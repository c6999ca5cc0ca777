import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { entryPath } from './safe-path';

const END_OF_CENTRAL_DIR = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/**
 * Extract a .zip into `dest` with node:zlib (no dependency): the central
 * directory lists each entry's method, sizes, CRC-32 and where its local
 * header is; bodies are stored (0) or deflated (8) and checked against their
 * CRC-32. No ZIP64 (archives under 4 GiB and 65535 entries, as EuroSAT's).
 * Returns the relative names written.
 */
export async function extractZip(archive: string, dest: string): Promise<string[]> {
  const fh = await open(archive, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (position: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      if (bytesRead !== length) throw new Error(`${archive}: truncated zip (wanted ${length} bytes at ${position})`);
      return buf;
    };
    // The end record sits in the last 22 bytes plus an optional comment of up to 65535 bytes.
    const tailLength = Math.min(size, 22 + 65535);
    const tail = await read(size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0 && eocd < 0; i--) if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIR) eocd = i;
    if (eocd < 0) throw new Error(`${archive}: not a zip file or truncated (no end-of-central-directory record)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const directory = await read(tail.readUInt32LE(eocd + 16), tail.readUInt32LE(eocd + 12));

    const written: string[] = [];
    for (let p = 0, k = 0; k < entries; k++) {
      if (directory.readUInt32LE(p) !== CENTRAL_ENTRY)
        throw new Error(`${archive}: corrupt central directory at entry ${k}`);
      const method = directory.readUInt16LE(p + 10);
      const crc = directory.readUInt32LE(p + 16);
      const compressedSize = directory.readUInt32LE(p + 20);
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      const localOffset = directory.readUInt32LE(p + 42);
      const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
      p += 46 + nameLength + extraLength + commentLength;

      const target = entryPath(dest, name, archive);
      if (name.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      const local = await read(localOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL_HEADER)
        throw new Error(`${archive}: corrupt local header of entry '${name}'`);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const stored = await read(dataStart, compressedSize);
      if (method !== 0 && method !== 8)
        throw new Error(
          `${archive}: entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported`,
        );
      let content = stored;
      try {
        if (method === 8) content = inflateRawSync(stored);
      } catch (err) {
        throw new Error(`${archive}: entry '${name}' is corrupt (${(err as Error).message})`);
      }
      if (crc32(content) !== crc) throw new Error(`${archive}: entry '${name}' is corrupt (CRC-32 mismatch)`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
      written.push(name);
    }
    return written;
  } finally {
    await fh.close();
  }
}
