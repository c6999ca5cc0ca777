import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

// Deflate expands at most 1032:1 (zlib's technical details): a gzip cannot hold more than this many bytes per byte.
const MAX_DEFLATE_RATIO = 1032;

/**
 * A file's bytes, gunzipped when it starts with the gzip magic (so `.gz` and raw
 * copies both load, whatever their names). `sizeFromHead(head)` reads the
 * format's header (the first `headBytes` bytes of the content) and says how
 * many bytes the whole content must have (undefined: not this format, the head
 * is returned for the parser to report); that size is checked against `limit`
 * and against what the file can hold before anything is allocated, and
 * decompression stops at the first byte too many.
 */
export async function readMaybeGzip(
  path: string,
  headBytes: number,
  sizeFromHead: (head: Uint8Array) => number | undefined,
  limit: number,
): Promise<Uint8Array> {
  const fh = await open(path, 'r').catch((err: Error) => {
    throw new Error(`${path}: cannot open: ${err.message}`);
  });
  let fileSize: number;
  let magic: Buffer;
  try {
    fileSize = (await fh.stat()).size;
    magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
  } finally {
    await fh.close();
  }
  if (fileSize < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
    if (fileSize > limit) throw new Error(`${path}: ${fileSize} bytes is over the limit of ${limit} bytes`);
    return readFile(path);
  }
  const gunzip = createGunzip();
  const file = createReadStream(path);
  file.on('error', (err) => gunzip.destroy(err));
  gunzip.on('error', () => undefined); // seen through the iterator; none may go uncaught after it stopped
  file.pipe(gunzip);
  let out: Uint8Array | undefined;
  let head: Buffer = Buffer.alloc(0);
  let filled = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (!out) {
        head = Buffer.concat([head, chunk]);
        if (head.length < headBytes) continue;
        const size = sizeFromHead(head);
        if (size === undefined) break;
        if (size > limit)
          throw new Error(`${path}: its header declares ${size} bytes, over the limit of ${limit} bytes`);
        if (size > fileSize * MAX_DEFLATE_RATIO)
          throw new Error(
            `${path}: its header declares ${size} bytes, more than a ${fileSize}-byte gzip file can hold (corrupt header)`,
          );
        out = new Uint8Array(size);
        if (head.length > size)
          throw new Error(`${path}: unexpected bytes after the ${size} bytes its header declares`);
        out.set(head, 0);
        filled = head.length;
        continue;
      }
      if (filled + chunk.length > out.length)
        throw new Error(`${path}: unexpected bytes after the ${out.length} bytes its header declares`);
      out.set(chunk, filled);
      filled += chunk.length;
    }
  } catch (err) {
    if ((err as Error).message.startsWith(path)) throw err;
    throw new Error(`${path}: corrupt or truncated gzip data (${(err as Error).message})`);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  // Short content: the parser reports what is missing.
  return out ? out.subarray(0, filled) : head;
}
