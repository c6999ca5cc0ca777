/**
 * The Hugging Face safetensors layout, independent of where the bytes live:
 * 8-byte little-endian header length N, N bytes of JSON header
 * (`{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {..}}`),
 * then the raw little-endian tensor data (offsets relative to its start).
 */

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** A tensor as stored: dtype, shape and decoded values. */
export interface RawTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /**
   * Values: Float32Array for F32/F16/BF16 (half floats widened), Float64Array for F64,
   * BigInt64Array for I64, Int32Array/Int16Array/Int8Array/Uint8Array otherwise.
   */
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
}

export interface HeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

export interface ParsedHeader {
  /** Byte offset of the data section in the file. */
  dataStart: number;
  entries: Map<string, HeaderEntry>;
  metadata: Record<string, string>;
}

/** Largest JSON header read, as the reference loader (safetensors' MAX_HEADER_SIZE, 100,000,000 bytes). */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Check a header length against the limit and the file before its bytes are
 * read (so a hostile length never sizes an allocation).
 */
export function checkHeaderLength(headerLength: bigint, fileSize: number, file: string): number {
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw new Error(
      `safetensors ${file}: header length ${headerLength} is over the limit of ${MAX_HEADER_BYTES} bytes (corrupt or not a safetensors file)`,
    );
  }
  if (Number(headerLength) + 8 > fileSize) {
    throw new Error(
      `safetensors ${file}: header length ${headerLength} does not fit in a file of ${fileSize} bytes (truncated or not a safetensors file)`,
    );
  }
  return Number(headerLength);
}

/**
 * Validate and parse the JSON header as strictly as the reference loader: valid
 * UTF-8, a JSON object, string-to-string `__metadata__`, known dtypes, and data
 * offsets that tile the data section exactly (no overlap, gap or trailing
 * byte). `file` only names the source in errors.
 */
export function parseHeader(
  headerLength: bigint,
  headerBytes: Uint8Array,
  fileSize: number,
  file: string,
): ParsedHeader {
  const length = checkHeaderLength(headerLength, fileSize, file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new Error(`safetensors ${file}: header is not valid UTF-8`);
  }
  if (!text.startsWith('{')) throw new Error(`safetensors ${file}: header does not start with '{'`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`safetensors ${file}: malformed JSON header: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`safetensors ${file}: header is not a JSON object`);
  }
  const dataStart = 8 + length;
  const dataSize = fileSize - dataStart;
  const entries = new Map<string, HeaderEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(value, file);
      continue;
    }
    entries.set(name, checkEntry(name, value, dataSize, file));
  }
  checkTiling(entries, dataSize, file);
  return { dataStart, entries, metadata };
}

function checkMetadata(value: unknown, file: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`safetensors ${file}: __metadata__ must be an object of strings, got ${JSON.stringify(value)}`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new Error(`safetensors ${file}: __metadata__ '${k}' must be a string, got ${JSON.stringify(v)}`);
  }
  return { ...(value as Record<string, string>) };
}

/** Tensors sorted by offset must follow each other from byte 0 to the end of the file, as the reference loader requires. */
function checkTiling(entries: Map<string, HeaderEntry>, dataSize: number, file: string): void {
  const sorted = [...entries].sort(
    ([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1],
  );
  let end = 0;
  for (const [name, e] of sorted) {
    if (e.data_offsets[0] !== end) {
      throw new Error(
        `safetensors ${file}: tensor '${name}' starts at data byte ${e.data_offsets[0]}, expected ${end} ` +
          `(${e.data_offsets[0] < end ? 'it overlaps the tensor before it' : 'a gap between tensors'})`,
      );
    }
    end = e.data_offsets[1];
  }
  if (end !== dataSize) {
    throw new Error(`safetensors ${file}: ${dataSize - end} bytes after the last tensor's data (corrupt file)`);
  }
}

function checkEntry(name: string, value: unknown, dataSize: number, file: string): HeaderEntry {
  const e = value as Partial<HeaderEntry>;
  const where = `safetensors ${file}: tensor '${name}'`;
  if (!e || typeof e !== 'object' || Array.isArray(e)) throw new Error(`${where}: header entry is not an object`);
  if (typeof e.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, e.dtype)) {
    throw new Error(
      `${where}: unknown dtype ${JSON.stringify(e.dtype)} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`,
    );
  }
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(e.shape)}`);
  }
  const off = e.data_offsets;
  if (
    !Array.isArray(off) ||
    off.length !== 2 ||
    !off.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    off[1] < off[0]
  ) {
    throw new Error(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(off)}`);
  }
  const expected = e.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[e.dtype as SafetensorsDtype];
  if (off[1] - off[0] !== expected) {
    throw new Error(
      `${where}: ${off[1] - off[0]} data bytes for dtype ${e.dtype} and shape [${e.shape}], expected ${expected}`,
    );
  }
  if (off[1] > dataSize) {
    throw new Error(
      `${where}: data ends at byte ${off[1]} but the file has only ${dataSize} data bytes (truncated file)`,
    );
  }
  return { dtype: e.dtype as SafetensorsDtype, shape: e.shape, data_offsets: [off[0], off[1]] };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decode one tensor's little-endian bytes into a typed array. `owned`: the
 * bytes are a whole buffer of the caller's that the result may keep (no copy).
 */
export function decodeTensor(dtype: SafetensorsDtype, shape: number[], bytes: Uint8Array, owned = false): RawTensor {
  // Copy unless owned, so the typed array is aligned and owns its memory.
  const whole = owned && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buf = (whole ? bytes : bytes.slice()).buffer as ArrayBuffer;
  const view = new DataView(buf);
  const n = shape.reduce((a, b) => a * b, 1);
  let data: RawTensor['data'];
  switch (dtype) {
    case 'F32':
      data = new Float32Array(buf);
      break;
    case 'F64':
      data = new Float64Array(buf);
      break;
    case 'I64':
      data = new BigInt64Array(buf);
      break;
    case 'I32':
      data = new Int32Array(buf);
      break;
    case 'I16':
      data = new Int16Array(buf);
      break;
    case 'I8':
      data = new Int8Array(buf);
      break;
    case 'U8':
    case 'BOOL':
      data = new Uint8Array(buf);
      break;
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      data = out;
      break;
    }
    case 'BF16': {
      // bfloat16 is the high half of a float32.
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      data = new Float32Array(bits.buffer);
      break;
    }
  }
  return { dtype, shape: [...shape], data };
}

/** The byte image of a tensor's data, little-endian (the platforms tfjs runs on are all little-endian). */
export function tensorBytes(t: RawTensor): Uint8Array {
  if (t.dtype === 'F16' || t.dtype === 'BF16') {
    throw new Error(`safetensors: writing ${t.dtype} is not supported; write F32 (tfjs computes in float32)`);
  }
  const expected = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== expected) {
    throw new Error(`safetensors: ${t.data.length} values for shape [${t.shape}] (expected ${expected})`);
  }
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Build the 8-byte length prefix + JSON header (padded with spaces to 8 bytes) for the given tensors in order. */
export function buildHeader(
  tensors: Array<[string, { dtype: SafetensorsDtype; shape: number[]; byteLength: number }]>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] };
    offset += t.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}
