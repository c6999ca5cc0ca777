import { type FileHandle, open } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs-core';
import { atomicWriteStream } from './atomic-write';
import {
  buildHeader,
  checkHeaderLength,
  decodeTensor,
  DTYPE_BYTES,
  parseHeader,
  tensorBytes,
  type ParsedHeader,
  type RawTensor,
} from './safetensors';
import { toRawTensor } from './safetensors-tf';

export interface SafetensorsContents {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

export type TensorsToWrite = Map<string, tf.Tensor | RawTensor> | Record<string, tf.Tensor | RawTensor>;

/** Node's fs.read aborts the process on a length of 2^31 or more: large reads go in chunks below that. */
const READ_CHUNK = 2 ** 30;

/** Fill `into` from `position`, in chunks of at most `chunk` bytes; a short file is an error starting with `what`. */
export async function readFully(
  fh: FileHandle,
  into: Uint8Array,
  position: number,
  what: string,
  chunk = READ_CHUNK,
): Promise<void> {
  for (let done = 0; done < into.length; ) {
    const length = Math.min(chunk, into.length - done);
    const { bytesRead } = await fh.read(into, done, length, position + done);
    if (bytesRead === 0) throw new Error(`${what} is truncated (${done} of ${into.length} bytes)`);
    done += bytesRead;
  }
}

/** Read only the header: names, dtypes, shapes and metadata, without the data. */
export async function readSafetensorsHeader(path: string): Promise<ParsedHeader> {
  const fh = await open(path, 'r').catch((err) => {
    throw new Error(`safetensors ${path}: cannot open: ${(err as Error).message}`);
  });
  try {
    const { size } = await fh.stat();
    if (size < 8)
      throw new Error(`safetensors ${path}: file has ${size} bytes, too short for the 8-byte header length`);
    const lenBuf = Buffer.alloc(8);
    await fh.read(lenBuf, 0, 8, 0);
    const headerLength = lenBuf.readBigUInt64LE(0);
    const headerBytes = new Uint8Array(checkHeaderLength(headerLength, size, path));
    await readFully(fh, headerBytes, 8, `safetensors ${path}: header`);
    return parseHeader(headerLength, headerBytes, size, path);
  } finally {
    await fh.close();
  }
}

/**
 * Read a safetensors file tensor by tensor (memory is the sum of the tensors read,
 * never a second copy of the file). `names` restricts what is read.
 */
export async function readSafetensors(path: string, options: { names?: string[] } = {}): Promise<SafetensorsContents> {
  const header = await readSafetensorsHeader(path);
  const wanted = options.names ?? [...header.entries.keys()];
  const fh = await open(path, 'r');
  try {
    const tensors = new Map<string, RawTensor>();
    for (const name of wanted) {
      const entry = header.entries.get(name);
      if (!entry) throw new Error(`safetensors ${path}: no tensor named '${name}'`);
      const [begin, end] = entry.data_offsets;
      const bytes = new Uint8Array(end - begin);
      await readFully(fh, bytes, header.dataStart + begin, `safetensors ${path}: tensor '${name}'`);
      tensors.set(name, decodeTensor(entry.dtype, entry.shape, bytes, true));
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await fh.close();
  }
}

function isRaw(t: tf.Tensor | RawTensor): t is RawTensor {
  return typeof (t as RawTensor).dtype === 'string' && (t as RawTensor).dtype in DTYPE_BYTES && 'data' in t;
}

function withName<T>(path: string, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`writeSafetensors ${path}: tensor '${name}': ${(err as Error).message}`);
  }
}

/**
 * Write tensors (tfjs tensors or raw records) to `path` atomically. Tensors are
 * downloaded and written one at a time, so the file can be larger than free memory twice over.
 */
export async function writeSafetensors(
  path: string,
  tensors: TensorsToWrite,
  metadata?: Record<string, string>,
): Promise<void> {
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string')
        throw new Error(`writeSafetensors ${path}: metadata '${k}' must be a string, got ${typeof v}`);
    }
  }
  const shapes = list.map(([name, t]): [string, { dtype: RawTensor['dtype']; shape: number[]; byteLength: number }] => {
    if (isRaw(t))
      return [
        name,
        { dtype: t.dtype, shape: t.shape, byteLength: withName(path, name, () => tensorBytes(t)).byteLength },
      ];
    const dtype = ({ float32: 'F32', int32: 'I32', bool: 'BOOL' } as const)[t.dtype as 'float32'];
    if (!dtype)
      throw new Error(
        `writeSafetensors ${path}: tensor '${name}' has dtype ${t.dtype}; float32, int32 and bool are supported`,
      );
    return [name, { dtype, shape: [...t.shape], byteLength: t.size * DTYPE_BYTES[dtype] }];
  });
  await atomicWriteStream(path, async (fh) => {
    await fh.write(buildHeader(shapes, metadata));
    for (const [name, t] of list) {
      const raw = isRaw(t) ? t : toRawTensor(t);
      await fh.write(withName(path, name, () => tensorBytes(raw)));
    }
  });
}
