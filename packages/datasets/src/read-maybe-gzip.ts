import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** A file's bytes, gunzipped when it starts with the gzip magic (so `.gz` and raw copies both load, whatever their names). */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  const raw = await readFile(path);
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (err) {
    throw new Error(`${path}: corrupt or truncated gzip data (${(err as Error).message})`);
  }
}
