import { describe, expect, it } from 'vitest';
import { createCountProgress } from './count-progress';

describe('createCountProgress', () => {
  it('in logs prints a line at each quarter, with the note (e.g. skipped files)', () => {
    const out: string[] = [];
    const p = createCountProgress({ write: (s: string) => out.push(s) }, 'reading images');
    for (let i = 1; i <= 8; i++) p.update(i, 8, '2 non-image files skipped');
    p.close();
    expect(out).toEqual([2, 4, 6, 8].map((i) => `reading images ${i}/8 (2 non-image files skipped)\n`));
  });

  it('on a terminal redraws one bar in place and ends its line on close', () => {
    const out: string[] = [];
    const p = createCountProgress({ write: (s: string) => out.push(s), isTTY: true }, 'embedding');
    p.update(3, 6);
    p.update(6, 6);
    p.close();
    expect(out).toEqual([
      `\r\x1b[2Kembedding [${'#'.repeat(12)}${'.'.repeat(12)}] 3/6`,
      `\r\x1b[2Kembedding [${'#'.repeat(24)}] 6/6`,
      '\n',
    ]);
  });
});
