import { createHash } from 'node:crypto';

// Bump when a change to the runner changes what a cell computes.
const RUNNER_VERSION = 1;

/** Stable JSON (sorted keys) so equal specs hash equally whatever their key order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash of everything a cell's result depends on. */
export function specHash(parts: Record<string, unknown>): string {
  return createHash('sha256')
    .update(stable({ ...parts, runner: RUNNER_VERSION }))
    .digest('hex')
    .slice(0, 16);
}
