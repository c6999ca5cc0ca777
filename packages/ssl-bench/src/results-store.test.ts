import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ResultsStore, type CellResult } from './results-store';

const cell = (over: Partial<CellResult>): CellResult => ({
  encoder: 'byol',
  dataset: 'mnist',
  protocol: 'linear',
  metric: 'top1',
  value: 0.9,
  ci95: null,
  details: { C: 0.1 },
  specHash: 'h1',
  seconds: 1.5,
  finishedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('ResultsStore', () => {
  it('persists cells across connections (WAL) and only matches the same spec', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ssl-bench-store-')), 'results.sqlite');
    const a = ResultsStore.open(path);
    a.put(cell({}));
    a.put(cell({ protocol: 'fewshot-5way-5shot', value: 0.7, ci95: 0.01 }));
    a.setMeta('reference', { dataset: 'cifar10', protocol: 'linear' });
    a.close();
    const b = ResultsStore.open(path);
    expect(b.get('byol', 'mnist', 'linear', 'h1')).toEqual(cell({}));
    expect(b.get('byol', 'mnist', 'linear', 'other-spec')).toBeUndefined();
    expect(b.all().map((c) => [c.protocol, c.ci95])).toEqual([
      ['fewshot-5way-5shot', 0.01],
      ['linear', null],
    ]);
    expect(b.getMeta('reference')).toEqual({ dataset: 'cifar10', protocol: 'linear' });
    b.put(cell({ value: 0.95, specHash: 'h2' }));
    expect(b.get('byol', 'mnist', 'linear', 'h2')?.value).toBe(0.95);
    b.close();
  });

  it('fails clearly when the folder cannot exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-store-'));
    writeFileSync(join(dir, 'file'), 'not a folder');
    expect(() => ResultsStore.open(join(dir, 'file', 'results.sqlite'))).toThrow(
      /results store .*file\/results.sqlite: cannot open: EEXIST/,
    );
  });
});

describe('ResultsStore on foreign files (issue #16)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-foreign-'));

  it('read-only open of another program database changes nothing and names the problem', () => {
    const path = join(dir, 'foreign.sqlite');
    const other = new Database(path);
    other.exec('CREATE TABLE people (name TEXT)');
    other.close();
    const before = readFileSync(path);
    for (const readOnly of [true, false]) {
      expect(() => ResultsStore.open(path, { readOnly })).toThrow(
        /foreign\.sqlite: not an ssl-bench results store \(tables: people/,
      );
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['foreign.sqlite']);
  });

  it('a file that is not SQLite at all is named, read-only', () => {
    const path = join(dir, 'notdb.sqlite');
    writeFileSync(path, 'just text, not a database '.repeat(40));
    const before = readFileSync(path);
    expect(() => ResultsStore.open(path, { readOnly: true })).toThrow(/notdb\.sqlite: not an SQLite database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a store written by ssl-bench opens read-only (WAL) and reads back', () => {
    const path = join(dir, 'ours.sqlite');
    const w = ResultsStore.open(path);
    w.put(cell({}));
    w.setMeta('reference', { dataset: 'cifar10' });
    w.close();
    const before = readFileSync(path);
    const r = ResultsStore.open(path, { readOnly: true });
    expect(r.all()).toEqual([cell({})]);
    r.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
