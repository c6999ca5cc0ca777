import pg from 'pg';
import type { CellStore, OpenStoreOptions } from '../cell-store';
import { redactUrl, StoreError } from '../cell-store';
import type { BenchConfig } from '../config-schema';
import { buildContext, type ReportContext } from '../report/context';
import type { ReferenceSource } from '../report/correlation';
import type { CellResult } from '../results-store';
import { LATEST_VERSION, migrate, SCHEMA, schemaVersion } from './migrations';

/** Something that runs a query: the pool, or one client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

interface CellRow {
  spec_hash: string;
  encoder: string;
  dataset: string;
  protocol: string;
  metric: string;
  value: number;
  ci95: number | null;
  details: Record<string, unknown>;
  seconds: number;
  finished_at: Date;
}

function fromRow(r: CellRow): CellResult {
  return {
    encoder: r.encoder,
    dataset: r.dataset,
    protocol: r.protocol,
    metric: r.metric,
    value: r.value,
    ci95: r.ci95,
    details: r.details,
    specHash: r.spec_hash,
    seconds: r.seconds,
    finishedAt: r.finished_at.toISOString(),
  };
}

/** Insert a finished cell unless its spec hash is stored already (then the first result stays); true when inserted. */
export async function insertCell(db: Queryable, c: CellResult, worker: string | null): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO ${SCHEMA}.cells (spec_hash, encoder, dataset, protocol, metric, value, ci95, details, seconds, finished_at, worker)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (spec_hash) DO NOTHING`,
    [
      c.specHash,
      c.encoder,
      c.dataset,
      c.protocol,
      c.metric,
      c.value,
      c.ci95,
      JSON.stringify(c.details),
      c.seconds,
      c.finishedAt,
      worker,
    ],
  );
  return res.rowCount === 1;
}

/** Whether a cell with this spec hash is stored. */
export async function isStored(db: Queryable, specHash: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM ${SCHEMA}.cells WHERE spec_hash = $1`, [specHash]);
  return rowCount === 1;
}

/** Run a function inside one transaction on one client; rolled back if it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** A connection pool to the results store's database; a clear error when the server cannot be reached. */
export async function connect(url: string, applicationName = 'ssl-bench'): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: applicationName });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new StoreError(`results store ${redactUrl(url)}: cannot connect: ${(err as Error).message}`);
  }
  return pool;
}

/** The run a store reads: its id and reference source. */
interface RunRef {
  id: string;
  reference: ReferenceSource;
}

/** What the workers recorded of a run for its report (worker.ts), with the submitted config. */
interface StoredContext {
  config: BenchConfig;
  context: { datasets?: ReportContext['datasets']; backend?: string };
}

/**
 * The PostgreSQL results store: cells keyed by spec hash (a cell is never stored twice), the
 * submitted runs with their configs, and the workers' heartbeats and claims (see migrations.ts).
 */
export class PgStore implements CellStore {
  readonly location: string;

  private constructor(
    readonly pool: pg.Pool,
    url: string,
    /** The run `cells()` and `reference()` read. */
    readonly run: RunRef | undefined,
  ) {
    this.location = redactUrl(url);
  }

  /** Connect and bring the schema up to date (submit, worker). */
  static async openForWriting(url: string, applicationName?: string): Promise<PgStore> {
    const pool = await connect(url, applicationName);
    try {
      await migrate(pool, redactUrl(url));
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return new PgStore(pool, url, undefined);
  }

  /** Connect to a store ssl-bench wrote, without changing it (report, status); `run` defaults to the latest. */
  static async openForReading(url: string, options: OpenStoreOptions = {}): Promise<PgStore> {
    const pool = await connect(url);
    try {
      const version = await schemaVersion(pool);
      if (version === 0)
        throw new StoreError(`results store ${redactUrl(url)} holds no ssl-bench data: submit a config first`);
      if (version !== LATEST_VERSION) {
        throw new StoreError(
          `results store ${redactUrl(url)} has schema version ${version}, this ssl-bench reads ${LATEST_VERSION}: ` +
            (version < LATEST_VERSION
              ? 'run ssl-bench submit or worker once to migrate it'
              : 'upgrade @selfsup/ssl-bench'),
        );
      }
      const { rows } = options.run
        ? await pool.query<RunRef>(`SELECT id, reference FROM ${SCHEMA}.runs WHERE id = $1`, [options.run])
        : await pool.query<RunRef>(`SELECT id, reference FROM ${SCHEMA}.runs ORDER BY submitted_at DESC LIMIT 1`);
      if (rows.length === 0) {
        throw new StoreError(
          options.run
            ? `results store ${redactUrl(url)} has no run '${options.run}'`
            : `results store ${redactUrl(url)} has no submitted run`,
        );
      }
      return new PgStore(pool, url, rows[0]);
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
  }

  async get(encoder: string, dataset: string, protocol: string, specHash: string): Promise<CellResult | undefined> {
    const { rows } = await this.pool.query<CellRow>(
      `SELECT * FROM ${SCHEMA}.cells WHERE spec_hash = $1 AND encoder = $2 AND dataset = $3 AND protocol = $4`,
      [specHash, encoder, dataset, protocol],
    );
    return rows[0] && fromRow(rows[0]);
  }

  put(result: CellResult): Promise<boolean> {
    return insertCell(this.pool, result, null);
  }

  /** The stored cells of the run, in encoder, dataset, protocol order (as the SQLite store lists them). */
  async cells(): Promise<CellResult[]> {
    if (!this.run) return [];
    const { rows } = await this.pool.query<CellRow>(
      `SELECT c.* FROM ${SCHEMA}.cells c JOIN ${SCHEMA}.run_cells r ON r.spec_hash = c.spec_hash
       WHERE r.run_id = $1 ORDER BY c.encoder COLLATE "C", c.dataset COLLATE "C", c.protocol COLLATE "C"`,
      [this.run.id],
    );
    return rows.map(fromRow);
  }

  async reference(): Promise<ReferenceSource | undefined> {
    return this.run?.reference;
  }

  // Dataset sizes and the backend are recorded by the workers that load the datasets (worker.ts).
  async context(): Promise<ReportContext | undefined> {
    if (!this.run) return undefined;
    const { rows } = await this.pool.query<StoredContext>(`SELECT config, context FROM ${SCHEMA}.runs WHERE id = $1`, [
      this.run.id,
    ]);
    const stored = rows[0];
    if (!stored?.context.backend) return undefined;
    return buildContext(stored.config, stored.context.datasets ?? {}, stored.context.backend);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
