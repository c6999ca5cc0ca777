import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-args';
import { parseCommandFlags } from './command-flags';

describe('parseCommandFlags', () => {
  const flags = { out: { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' } } as const;

  it('reads values, keeps a negative number as the value of its flag, and always accepts -h', () => {
    const { values, positionals } = parseCommandFlags(
      ['--out', 'a', '--threads', '-2', '-h', 'x.json'],
      flags,
      'x --help',
      {
        positionals: true,
      },
    );
    expect(values).toEqual({ out: 'a', threads: '-2', help: true });
    expect(positionals).toEqual(['x.json']);
  });

  it('an unknown flag, a missing value or a positional where none is taken: one-line UsageError pointing at the help', () => {
    for (const argv of [['--colour', 'red'], ['--out'], ['stray']]) {
      let error: unknown;
      try {
        parseCommandFlags(argv, flags, 'selfsup-byol embed --help');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/ \(see selfsup-byol embed --help\)$/);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
