import type { Sample } from './types';

export interface PairNames {
  /** Name of the first sample in messages (default 'x'). */
  xName?: string;
  /** Name of the second sample in messages (default 'y'). */
  yName?: string;
  /** One label per pair (e.g. model names), quoted in messages next to the index. */
  labels?: readonly string[];
}

function isSample(value: unknown): value is Sample {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function describeEntry(name: string, index: number, labels?: readonly string[]): string {
  return labels ? `${name}[${index}] (${JSON.stringify(labels[index])})` : `${name}[${index}]`;
}

function checkSample(fn: string, values: unknown, name: string, labels?: readonly string[]): asserts values is Sample {
  if (!isSample(values)) {
    throw new Error(`${fn}: ${name} must be an array of numbers, got ${values === null ? 'null' : typeof values}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${fn}: ${describeEntry(name, i, labels)} must be a finite number, got ${String(v)}`);
    }
  }
  // A constant sample has zero variance: every correlation coefficient is 0/0.
  if (values.length > 0 && Array.prototype.every.call(values, (v: number) => v === values[0])) {
    throw new Error(
      `${fn}: ${name} is constant (every value is ${values[0]}); its correlation with anything is undefined`,
    );
  }
}

/**
 * The input contract shared by every correlation: two finite, non-constant
 * samples of the same length with at least 3 pairs (n - 2 > 0 degrees of freedom).
 */
export function checkPairedSamples(fn: string, x: unknown, y: unknown, names: PairNames = {}): asserts x is Sample {
  const { xName = 'x', yName = 'y', labels } = names;
  if (isSample(x) && isSample(y) && x.length !== y.length) {
    throw new Error(`${fn}: ${xName} and ${yName} must have the same length, got ${x.length} and ${y.length}`);
  }
  if (isSample(x) && x.length < 3) {
    throw new Error(`${fn}: needs at least 3 pairs, got n = ${x.length}`);
  }
  checkSample(fn, x, xName, labels);
  checkSample(fn, y, yName, labels);
}
