import { assertLabelsInRange, type ImageDataset } from './image-dataset';
import { readMaybeGzip } from './read-maybe-gzip';

/** A parsed IDX file: its dimensions and its unsigned-byte payload. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Largest IDX file loaded (2 GiB - 1; EMNIST ByClass, the largest of the family, is 0.55 GB). */
export const MAX_IDX_BYTES = 2 ** 31 - 1;

function idxDims(bytes: Uint8Array, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: count }, (_, d) => view.getUint32(4 + 4 * d, false));
}

/** Read (and gunzip) one IDX file, sized from its header: never more memory than the file declares and can hold. */
async function readIdx(path: string, expectedDims: number): Promise<Uint8Array> {
  const headerBytes = 4 + 4 * expectedDims;
  // A wrong magic or dimension count is reported by parseIdx on the short head.
  const size = (head: Uint8Array) =>
    head[0] === 0 && head[1] === 0 && head[2] === UNSIGNED_BYTE && head[3] === expectedDims
      ? headerBytes + idxDims(head, expectedDims).reduce((a, b) => a * b, 1)
      : undefined;
  return readMaybeGzip(path, headerBytes, size, MAX_IDX_BYTES);
}

/**
 * Parse an IDX file (LeCun's MNIST format: 2 zero bytes, a type code, the
 * number of dimensions, then each dimension as a big-endian uint32, then the
 * data). Only the unsigned-byte type is used by the MNIST family.
 * `expectedDims` is checked so an images file passed as labels is caught here.
 */
export function parseIdx(bytes: Uint8Array, expectedDims: number, source: string): IdxArray {
  if (bytes.length < 4) throw new Error(`${source}: ${bytes.length} bytes is too short for an IDX header`);
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
  if (magic !== expectedMagic) {
    throw new Error(
      `${source}: wrong IDX magic number 0x${magic.toString(16).padStart(8, '0')}, ` +
        `expected 0x${expectedMagic.toString(16).padStart(8, '0')} (unsigned bytes, ${expectedDims} dimension${expectedDims > 1 ? 's' : ''})`,
    );
  }
  const headerBytes = 4 + 4 * expectedDims;
  if (bytes.length < headerBytes)
    throw new Error(`${source}: truncated IDX header (${bytes.length} of ${headerBytes} bytes)`);
  const dims = idxDims(bytes, expectedDims);
  if (dims.includes(0))
    throw new Error(`${source}: the IDX header declares dimensions [${dims.join(', ')}], an empty dataset`);
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const expected = headerBytes + dims[0] * itemBytes;
  if (bytes.length < expected) {
    const complete = Math.floor((bytes.length - headerBytes) / itemBytes);
    throw new Error(
      `${source}: truncated IDX file: the header declares ${dims[0]} items (${expected} bytes) but it has ${bytes.length} bytes; item ${complete} is the first incomplete one`,
    );
  }
  if (bytes.length > expected) {
    throw new Error(
      `${source}: ${bytes.length - expected} unexpected bytes after the ${dims[0]} items the IDX header declares`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

export interface LoadIdxOptions {
  /** Class names in label order; default `'0'`, `'1'`, ... up to the largest label. */
  classes?: string[];
}

/**
 * Load an MNIST-family pair of IDX files (gzipped or raw) as a 1-channel
 * ImageDataset, e.g. Fashion-MNIST's `train-images-idx3-ubyte.gz` + `train-labels-idx1-ubyte.gz`.
 */
export async function loadIdx(
  imagesPath: string,
  labelsPath: string,
  options: LoadIdxOptions = {},
): Promise<ImageDataset> {
  const [imageBytes, labelBytes] = await Promise.all([readIdx(imagesPath, 3), readIdx(labelsPath, 1)]);
  const images = parseIdx(imageBytes, 3, imagesPath);
  const labels = parseIdx(labelBytes, 1, labelsPath);
  const [n, h, w] = images.dims;
  if (labels.dims[0] !== n) {
    throw new Error(`loadIdx: ${labelsPath} has ${labels.dims[0]} labels but ${imagesPath} has ${n} images`);
  }
  const labelArray = Int32Array.from(labels.data);
  const classes =
    options.classes ?? Array.from({ length: labelArray.reduce((m, v) => Math.max(m, v + 1), 0) }, (_, i) => String(i));
  assertLabelsInRange(labelArray, classes.length, labelsPath);
  // A view, not a copy: Fashion-MNIST train is 47 MB.
  const pixels = new Uint8Array(images.data.buffer, images.data.byteOffset, images.data.byteLength);
  return { images: pixels, labels: labelArray, shape: [n, h, w, 1], classes: classes.slice() };
}
