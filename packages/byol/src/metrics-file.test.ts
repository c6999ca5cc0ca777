import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics } from './metrics-file';

describe('readMetrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'byol-metrics-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('drops a torn last line with one warning, and reads a missing file as empty', () => {
    const warnings: string[] = [];
    const rows = readMetrics(file('torn.jsonl', '{"step":1,"loss":2}\n{"step":2,"lo'), (w) => warnings.push(w));
    expect(rows).toEqual([{ step: 1, loss: 2 }]);
    expect(warnings).toEqual([expect.stringMatching(/dropped the torn last line of .*torn\.jsonl \(line 2/)]);
    expect(readMetrics(join(dir, 'none.jsonl'))).toEqual([]);
  });

  it('a bad line before the end is an error naming it', () => {
    expect(() => readMetrics(file('bad.jsonl', '{"step":1}\nnot json\n{"step":2}\n'))).toThrow(
      /bad\.jsonl: line 2 is not a metrics record: not json/,
    );
  });
});
