import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeWithPostgres } from '../../../../tooling/test-pg';
import { type CellStore, openResultsStore, StoreError } from '../cell-store';
import type { CellResult } from '../results-store';
import { SqliteCellStore } from '../sqlite-cell-store';
import { startHeartbeat } from './heartbeat';
import { LATEST_VERSION, migrate, SCHEMA, schemaVersion } from './migrations';
import { PgStore } from './pg-store';

const cell = (over: Partial<CellResult>): CellResult => ({
  encoder: 'byol',
  dataset: 'mnist',
  protocol: 'linear',
  metric: 'top1',
  value: 0.9123456789012345,
  ci95: null,
  details: { C: 0.1, valCurve: [0.5, 1 / 3] },
  specHash: 'h1',
  seconds: 1.5,
  finishedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describeWithPostgres('PostgreSQL results store', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('ssl_bench_store');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates once, even when several processes start at the same moment', async () => {
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: db.url, max: 1 }));
    try {
      expect(await schemaVersion(pools[0])).toBe(0);
      expect(await Promise.all(pools.map((p) => migrate(p, 'test')))).toEqual([1, 1, 1].map(() => LATEST_VERSION));
      expect(await schemaVersion(pools[0])).toBe(LATEST_VERSION);
      const { rows } = await pools[0].query(`SELECT version FROM ${SCHEMA}.schema_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
      // A database written by a newer ssl-bench is refused rather than misread.
      await pools[0].query(`INSERT INTO ${SCHEMA}.schema_migrations (version, description) VALUES (999, 'future')`);
      await expect(migrate(pools[0], 'the store')).rejects.toThrow(/schema version 999, newer than this ssl-bench/);
      await expect(PgStore.openForReading(db.url)).rejects.toThrow(StoreError);
      await pools[0].query(`DELETE FROM ${SCHEMA}.schema_migrations WHERE version = 999`);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('stores a cell once per spec hash, exactly as given, and behaves as the SQLite store does', async () => {
    const pgStore = await PgStore.openForWriting(db.url);
    await pgStore.pool.query(
      `INSERT INTO ${SCHEMA}.runs (id, config, reference) VALUES ('r1', '{}', '{"dataset":"mnist","protocol":"linear","explicit":{}}')`,
    );
    await pgStore.pool.query(
      `INSERT INTO ${SCHEMA}.run_cells (run_id, spec_hash, encoder, dataset, protocol)
       VALUES ('r1', 'h1', 'byol', 'mnist', 'linear'), ('r1', 'h2', 'byol', 'mnist', 'fewshot-5way-5shot')`,
    );
    await pgStore.close();
    const sqlite = SqliteCellStore.open(join(mkdtempSync(join(tmpdir(), 'ssl-bench-store-')), 'results.sqlite'));
    const pgRead = await openResultsStore(db.url);
    expect(pgRead).toBeInstanceOf(PgStore);
    for (const store of [sqlite, pgRead] as CellStore[]) {
      expect(await store.put(cell({}))).toBe(true);
      // A second result for the same spec (another worker's) is refused; the first stays.
      expect(await store.put(cell({ value: 0.5 }))).toBe(false);
      expect(await store.put(cell({ protocol: 'fewshot-5way-5shot', value: 0.7, ci95: 0.01, specHash: 'h2' }))).toBe(
        true,
      );
      expect(await store.get('byol', 'mnist', 'linear', 'h1')).toEqual(cell({}));
      expect(await store.get('byol', 'mnist', 'linear', 'other-spec')).toBeUndefined();
      expect((await store.cells()).map((c) => [c.protocol, c.value, c.ci95])).toEqual([
        ['fewshot-5way-5shot', 0.7, 0.01],
        ['linear', 0.9123456789012345, null],
      ]);
    }
    expect(await pgRead.reference()).toEqual({ dataset: 'mnist', protocol: 'linear', explicit: {} });
    await Promise.all([sqlite.close(), pgRead.close()]);
    await expect(openResultsStore(db.url, { run: 'nope' })).rejects.toThrow(/has no run 'nope'/);
  });

  it('keeps beating while the main thread is blocked by a long synchronous computation', async () => {
    const store = await PgStore.openForWriting(db.url);
    try {
      await store.pool.query(
        `INSERT INTO ${SCHEMA}.workers (id, host, pid, visibility_seconds, heartbeat_at) VALUES ('busy', 'h', 1, 60, now() - interval '1 hour')`,
      );
      const errors: string[] = [];
      const heartbeat = startHeartbeat(db.url, 'busy', 0.2, (m) => errors.push(m));
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        // Busy, as an L-BFGS probe or a wasm kernel is: no await, no timers.
      }
      const { rows } = await store.pool.query(
        `SELECT extract(epoch FROM now() - heartbeat_at)::float8 AS age FROM ${SCHEMA}.workers WHERE id = 'busy'`,
      );
      await heartbeat.stop();
      expect(errors).toEqual([]);
      expect(rows[0].age).toBeLessThan(1.2);
    } finally {
      await store.close();
    }
  });

  it('names the server it cannot reach, without the password', async () => {
    await expect(openResultsStore('postgresql://u:secret@127.0.0.1:1/db')).rejects.toThrow(
      /results store postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: cannot connect/,
    );
  });
});
