import { parseArgs } from 'node:util';
import { inlineNegativeValues } from '@selfsup/runtime/node';
import { UsageError } from './cli-args';

/** A command's flags as node:util parseArgs takes them. */
export type CommandFlags = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface ParsedCommandFlags {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * The flags of one CLI command, the same way for every command of `selfsup-byol` and `ssl-bench`:
 * strict (an unknown flag or a missing value is a one-line `UsageError` that points at `seeHelp`),
 * `-h`/`--help` always accepted, and `--flag -1` read as the value -1 so that the flag's own range
 * check reports it.
 */
export function parseCommandFlags(
  argv: string[],
  flags: CommandFlags,
  seeHelp: string,
  { positionals = false }: { positionals?: boolean } = {},
): ParsedCommandFlags {
  const valueFlags = Object.keys(flags).filter((f) => flags[f].type === 'string');
  try {
    const parsed = parseArgs({
      args: inlineNegativeValues(argv, valueFlags),
      options: { ...flags, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: positionals,
    });
    return { values: parsed.values as ParsedCommandFlags['values'], positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see ${seeHelp})`);
  }
}
