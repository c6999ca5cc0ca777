import { open } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs-core';
import { atomicWriteStream } from './atomic-write';
import {
  buildHeader,
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
    if (headerLength + 8n > BigInt(size)) {
      throw new Error(
        `safetensors ${path}: header length ${headerLength} does not fit in a file of ${size} bytes (truncated or not a safetensors file)`,
      );
    }
    const headerBytes = Buffer.alloc(Number(headerLength));
    await fh.read(headerBytes, 0, headerBytes.length, 8);
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
      const bytes = Buffer.alloc(end - begin);
      const { bytesRead } = await fh.read(bytes, 0, bytes.length, header.dataStart + begin);
      if (bytesRead !== bytes.length) {
        throw new Error(`safetensors ${path}: tensor '${name}' is truncated (${bytesRead} of ${bytes.length} bytes)`);
      }
      tensors.set(name, decodeTensor(entry.dtype, entry.shape, bytes));
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
