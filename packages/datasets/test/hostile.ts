// Test-only builders of hostile archives and files (written from the format specs:
// POSIX ustar and PKWARE APPNOTE 4.3.7), shared by the regression tests and the fuzz seeds.
import { crc32, deflateRawSync } from 'node:zlib';

/** One ustar header block (type '0' file by default), checksum filled in. */
export function tarHeader(name: string, size: number, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\0' + '00', 257);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** A tar stream of files (name -> content), folders (content null), then the two end blocks. */
export function tarOf(entries: Array<[string, Buffer | null]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of entries) {
    if (content === null) {
      parts.push(tarHeader(name, 0, '5'));
      continue;
    }
    parts.push(tarHeader(name, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export interface ZipEntry {
  name: string;
  content: Buffer;
  deflate?: boolean;
  /** Override what the central directory says (to build lies). */
  compressedSize?: number;
  uncompressedSize?: number;
}

/** A zip archive of the entries (central directory and end record included). */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.content) : e.content;
    const method = e.deflate ? 8 : 0;
    const crc = crc32(e.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.content.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.compressedSize ?? body.length, 20);
    central.writeUInt32LE(e.uncompressedSize ?? e.content.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An IDX file of unsigned bytes: magic, big-endian dims, then `data`. */
export function idxOf(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Run `fn` while sampling Buffer/ArrayBuffer memory: the peak growth in bytes and what `fn` threw. */
export async function peakArrayBufferGrowth(fn: () => Promise<unknown>): Promise<{ peak: number; error?: Error }> {
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 2);
  let error: Error | undefined;
  try {
    await fn();
  } catch (err) {
    error = err as Error;
  } finally {
    clearInterval(timer);
  }
  return { peak: Math.max(peak, process.memoryUsage().arrayBuffers) - base, error };
}
