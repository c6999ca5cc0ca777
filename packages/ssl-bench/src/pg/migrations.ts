import type { Pool, PoolClient } from 'pg';
import { StoreError } from '../cell-store';

/** The schema ssl-bench's own tables live in; pg-boss keeps its queue in its own (`pgboss`). */
export const SCHEMA = 'ssl_bench';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Every change to the schema, in order. Never edit a released entry: append a new version.
 * The pending ones run in one transaction with their rows in `schema_migrations`.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description:
      'cells keyed by spec hash, runs and their cells, queued jobs, workers and their claims, trained encoders',
    sql: `
      CREATE TABLE ${SCHEMA}.cells (
        spec_hash text PRIMARY KEY,
        encoder text NOT NULL,
        dataset text NOT NULL,
        protocol text NOT NULL,
        metric text NOT NULL,
        value double precision NOT NULL,
        ci95 double precision,
        details jsonb NOT NULL,
        seconds double precision NOT NULL,
        finished_at timestamptz NOT NULL,
        worker text
      );
      CREATE TABLE ${SCHEMA}.runs (
        id text PRIMARY KEY,
        config jsonb NOT NULL,
        reference jsonb NOT NULL,
        source text,
        submitted_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${SCHEMA}.run_cells (
        run_id text NOT NULL REFERENCES ${SCHEMA}.runs (id) ON DELETE CASCADE,
        spec_hash text NOT NULL,
        encoder text NOT NULL,
        dataset text NOT NULL,
        protocol text NOT NULL,
        PRIMARY KEY (run_id, spec_hash)
      );
      CREATE TABLE ${SCHEMA}.cell_jobs (
        spec_hash text PRIMARY KEY,
        queue text NOT NULL,
        job_id uuid NOT NULL,
        run_id text NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now(),
        position integer NOT NULL
      );
      CREATE TABLE ${SCHEMA}.workers (
        id text PRIMARY KEY,
        host text NOT NULL,
        pid integer NOT NULL,
        backend text,
        visibility_seconds double precision NOT NULL,
        queue text,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        stopped_at timestamptz,
        cells_done integer NOT NULL DEFAULT 0,
        cells_failed integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE TABLE ${SCHEMA}.claims (
        job_id uuid PRIMARY KEY,
        queue text NOT NULL,
        spec_hash text NOT NULL,
        label text NOT NULL,
        worker text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX claims_worker ON ${SCHEMA}.claims (worker);
      CREATE TABLE ${SCHEMA}.encoders (
        key text PRIMARY KEY,
        name text NOT NULL,
        weights bytea NOT NULL,
        worker text,
        seconds double precision,
        finished_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    description: "a run's report context: dataset sizes and backend, recorded by the workers that load them",
    sql: `ALTER TABLE ${SCHEMA}.runs ADD COLUMN context jsonb NOT NULL DEFAULT '{}'::jsonb;`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The schema version a database is at: 0 when ssl-bench never wrote to it. */
export async function schemaVersion(db: Pool | PoolClient): Promise<number> {
  const { rows } = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('${SCHEMA}.schema_migrations') IS NOT NULL AS exists`,
  );
  if (!rows[0].exists) return 0;
  const res = await db.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${SCHEMA}.schema_migrations`);
  return res.rows[0].v ?? 0;
}

/**
 * Bring the database to LATEST_VERSION. Safe when several workers start at once: an advisory
 * lock serialises them and each migration commits with its version row.
 */
export async function migrate(pool: Pool, where: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('${SCHEMA}.migrate'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const current = await schemaVersion(client);
    if (current > LATEST_VERSION) {
      throw new StoreError(
        `results store ${where} has schema version ${current}, newer than this ssl-bench knows (${LATEST_VERSION}); upgrade @selfsup/ssl-bench`,
      );
    }
    for (const m of MIGRATIONS.filter((x) => x.version > current)) {
      await client.query(m.sql);
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, description) VALUES ($1, $2)`, [
        m.version,
        m.description,
      ]);
    }
    await client.query('COMMIT');
    return LATEST_VERSION;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
