import { extname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { atomicWriteStream, writeSafetensors } from '@selfsup/runtime/node';

export const EMBEDDING_FORMATS = ['.csv', '.npy', '.safetensors'] as const;

/** Rows of features `[n, dim]` and the image each row belongs to. */
export interface Embeddings {
  paths: string[];
  data: Float32Array;
  dim: number;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writeCsv(fh: FileHandle, e: Embeddings): Promise<void> {
  const head = ['path', ...Array.from({ length: e.dim }, (_, j) => `f${j}`)];
  await fh.write(`${head.join(',')}\n`);
  // A few thousand rows per write keeps memory flat for large folders.
  for (let start = 0; start < e.paths.length; start += 1024) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(e.paths.length, start + 1024); i++) {
      const row = e.data.subarray(i * e.dim, (i + 1) * e.dim);
      lines.push(`${csvField(e.paths[i])},${Array.from(row, (v) => String(v)).join(',')}\n`);
    }
    await fh.write(lines.join(''));
  }
}

/**
 * NPY 1.0 with a structured dtype, one record per image: `path` (fixed-width
 * UTF-32, numpy's `<U`) first, then `features` (`<f4`, dim). numpy reads it with
 * `np.load(f)`, giving `a['path']` and `a['features']` (format: numpy.lib.format).
 */
async function writeNpy(fh: FileHandle, e: Embeddings): Promise<void> {
  const chars = e.paths.map((p) => [...p]);
  const width = Math.max(1, ...chars.map((c) => c.length));
  const descr = `[('path', '<U${width}'), ('features', '<f4', (${e.dim},))]`;
  const dict = `{'descr': ${descr}, 'fortran_order': False, 'shape': (${e.paths.length},), }`;
  // Magic (6) + version (2) + header length (2) + dict, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = Buffer.alloc(total, 0x20);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(total - 10, 8);
  header.write(dict, 10, 'latin1');
  header[total - 1] = 0x0a;
  await fh.write(header);
  const recordBytes = 4 * width + 4 * e.dim;
  for (let start = 0; start < chars.length; start += 1024) {
    const end = Math.min(chars.length, start + 1024);
    const block = Buffer.alloc((end - start) * recordBytes);
    for (let i = start; i < end; i++) {
      const at = (i - start) * recordBytes;
      chars[i].forEach((ch, k) => block.writeUInt32LE(ch.codePointAt(0)!, at + 4 * k));
      const row = e.data.subarray(i * e.dim, (i + 1) * e.dim);
      Buffer.from(row.buffer, row.byteOffset, row.byteLength).copy(block, at + 4 * width);
    }
    await fh.write(block);
  }
}

/** Write embeddings as `.csv` (path, f0..), `.npy` (records of path + features) or `.safetensors` (`features` + the paths in metadata), atomically. */
export async function writeEmbeddings(out: string, e: Embeddings): Promise<void> {
  switch (extname(out).toLowerCase()) {
    case '.csv':
      return atomicWriteStream(out, (fh) => writeCsv(fh, e));
    case '.npy':
      return atomicWriteStream(out, (fh) => writeNpy(fh, e));
    case '.safetensors':
      return writeSafetensors(
        out,
        { features: { dtype: 'F32', shape: [e.paths.length, e.dim], data: e.data } },
        { paths: JSON.stringify(e.paths), format: 'selfsup-embeddings' },
      );
    default:
      throw new Error(`--out ${out}: the extension must be one of ${EMBEDDING_FORMATS.join(', ')}`);
  }
}
