/**
 * Command-line values, strictly: the shared number and flag rules of the
 * `selfsup-byol` and `ssl-bench` CLIs (node:util parseArgs does the rest).
 */

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number typed on the command line, or undefined when it is not one: plain
 * decimal only (no `0x1`, `0b1`, `Infinity`, empty or blank text), and an
 * integer must be written as one and be exactly representable (`1e20` and
 * `2^53 + 1` are not integers here).
 */
export function parseCliNumber(text: string, kind: 'int' | 'number'): number | undefined {
  if (!(kind === 'int' ? INTEGER : DECIMAL).test(text)) return undefined;
  const value = Number(text);
  if (kind === 'int' ? !Number.isSafeInteger(value) : !Number.isFinite(value)) return undefined;
  return value;
}

/**
 * `--flag -1` becomes `--flag=-1` for flags that take a value, so a negative
 * number after a space reaches the flag's own check (parseArgs would call it an
 * ambiguous option) and is reported as the out-of-range value it is.
 */
export function inlineNegativeValues(argv: string[], valueFlags: Iterable<string>): string[] {
  const takesValue = new Set([...valueFlags].map((f) => `--${f}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (takesValue.has(argv[i]) && i + 1 < argv.length && /^-(\d|\.\d)/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}
