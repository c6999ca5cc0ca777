import * as tf from '@tensorflow/tfjs-core';

/** Features `[n, dim]` stored row-major in one Float32Array (what `extractFeatures` returns). */
export interface FeatureMatrix {
  data: Float32Array;
  n: number;
  dim: number;
}

/** Every form a feature matrix may be given in. */
export type FeatureInput = number[][] | tf.Tensor2D | FeatureMatrix;

/**
 * Normalise any accepted feature form to a row-major Float32Array, checking the
 * shape and rejecting NaN / infinite values (a silent NaN would poison every fit).
 */
export function toFeatureMatrix(input: FeatureInput, name: string): FeatureMatrix {
  let matrix: FeatureMatrix;
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2) throw new Error(`${name} must be a 2-D tensor [n, dim], got shape [${input.shape}]`);
    matrix = { data: Float32Array.from(input.dataSync() as Float32Array), n: input.shape[0], dim: input.shape[1] };
  } else if (Array.isArray(input)) {
    matrix = fromRows(input, name);
  } else if (input && input.data instanceof Float32Array) {
    const { data, n, dim } = input;
    if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 1 || data.length !== n * dim) {
      throw new Error(`${name}: { n: ${n}, dim: ${dim} } does not match data.length ${data.length} (expected n * dim)`);
    }
    matrix = { data, n, dim };
  } else {
    throw new Error(
      `${name} must be number[][], a tf.Tensor2D or { data: Float32Array, n, dim }, got ${describe(input)}`,
    );
  }
  assertFinite(matrix, name);
  return matrix;
}

function fromRows(rows: number[][], name: string): FeatureMatrix {
  const n = rows.length;
  const dim = n > 0 ? rows[0].length : 0;
  if (n > 0 && dim < 1) throw new Error(`${name}[0] is empty; every row needs at least one feature`);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!row || row.length !== dim) {
      throw new Error(`${name}[${i}] has ${row?.length} values, expected ${dim} (the length of ${name}[0])`);
    }
    data.set(row, i * dim);
  }
  return { data, n, dim };
}

function assertFinite({ data, dim }: FeatureMatrix, name: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${name} has a non-finite value ${data[i]} at row ${Math.floor(i / dim)}, column ${i % dim}`);
    }
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

/**
 * Integer class labels, one per feature row. Returns them as an Int32Array after checking
 * the count and that every label is a non-negative integer.
 */
export function toLabels(labels: ArrayLike<number>, n: number, name: string): Int32Array {
  if (!labels || typeof labels.length !== 'number') {
    throw new Error(`${name} must be an array of integer class labels, got ${describe(labels)}`);
  }
  if (labels.length !== n) {
    throw new Error(`${name} has ${labels.length} labels but the features have ${n} rows; they must match`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name}[${i}] is ${v}; labels must be non-negative integers`);
    out[i] = v;
  }
  return out;
}

/** Rows `indices` of a feature matrix, as a new matrix. */
export function selectRows(matrix: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const { data, dim } = matrix;
  const out = new Float32Array(indices.length * dim);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    out.set(data.subarray(r * dim, (r + 1) * dim), i * dim);
  }
  return { data: out, n: indices.length, dim };
}

/** Two feature matrices stacked vertically (train + val for the final refit). */
export function concatRows(a: FeatureMatrix, b: FeatureMatrix, name: string): FeatureMatrix {
  if (a.dim !== b.dim) throw new Error(`${name}: cannot stack features of dim ${a.dim} and ${b.dim}`);
  const data = new Float32Array((a.n + b.n) * a.dim);
  data.set(a.data, 0);
  data.set(b.data, a.n * a.dim);
  return { data, n: a.n + b.n, dim: a.dim };
}
