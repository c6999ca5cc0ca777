import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** One finished cell of the matrix encoders × datasets × protocols. */
export interface CellResult {
  encoder: string;
  dataset: string;
  /** Protocol id with its variant, e.g. `linear`, `knn`, `fewshot-5way-5shot`. */
  protocol: string;
  /** What `value` measures, e.g. `top1`. */
  metric: string;
  /** A fraction in [0, 1] for accuracies. */
  value: number;
  /** Half-width of the 95% confidence interval, where the protocol gives one. */
  ci95: number | null;
  /** Protocol-specific extras (chosen C, validation curve, ...). */
  details: Record<string, unknown>;
  /** Hash of everything the cell's result depends on; a changed config recomputes it. */
  specHash: string;
  seconds: number;
  finishedAt: string;
}

interface Row extends Omit<CellResult, 'details'> {
  details: string;
}

/**
 * Finished cells in one SQLite file (WAL mode). Each cell is written in its own
 * transaction the moment it finishes, so a crashed or killed run loses at most
 * the cell it was computing.
 */
export class ResultsStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /** Run a write, naming the store in its error (a full disk reads 'disk I/O error' otherwise). */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      // The code (SQLITE_FULL, SQLITE_IOERR, ...) tells the CLI it is a fault to report in one line, not a bug.
      throw Object.assign(new Error(`results store ${this.path}: ${(err as Error).message}`), {
        code: (err as { code?: string }).code,
      });
    }
  }

  /**
   * Open (or create) a store. `readOnly` (what `ssl-bench report` uses) never
   * writes to the file; either way a file that is not an ssl-bench store is
   * refused before anything is written to it.
   */
  static open(path: string, options: { readOnly?: boolean } = {}): ResultsStore {
    let db: Database.Database;
    try {
      if (!options.readOnly) mkdirSync(dirname(path), { recursive: true });
      // Several processes (ssl-bench run --concurrency) share one store: every statement from the first
      // one on (the schema check, the switch to WAL) waits up to 30 s for another's lock, never fails on it.
      db = new Database(path, {
        readonly: options.readOnly ?? false,
        fileMustExist: options.readOnly ?? false,
        timeout: 30_000,
      });
    } catch (err) {
      throw Object.assign(new Error(`results store ${path}: cannot open: ${(err as Error).message}`), {
        code: (err as { code?: string }).code,
      });
    }
    try {
      checkSchema(db, path, options.readOnly ?? false);
    } catch (err) {
      db.close();
      throw err;
    }
    const store = new ResultsStore(db, path);
    if (options.readOnly) return store;
    store.write(() => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`CREATE TABLE IF NOT EXISTS cells (
      encoder TEXT NOT NULL, dataset TEXT NOT NULL, protocol TEXT NOT NULL,
      metric TEXT NOT NULL, value REAL NOT NULL, ci95 REAL, details TEXT NOT NULL,
      specHash TEXT NOT NULL, seconds REAL NOT NULL, finishedAt TEXT NOT NULL,
      PRIMARY KEY (encoder, dataset, protocol))`);
      db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    });
    return store;
  }

  /** The stored result of a cell, if it was computed with the same spec. */
  get(encoder: string, dataset: string, protocol: string, specHash: string): CellResult | undefined {
    const row = this.db
      .prepare('SELECT * FROM cells WHERE encoder = ? AND dataset = ? AND protocol = ? AND specHash = ?')
      .get(encoder, dataset, protocol, specHash) as Row | undefined;
    return row && fromRow(row);
  }

  put(result: CellResult): void {
    this.write(() =>
      this.db
        .prepare(
          `INSERT OR REPLACE INTO cells (encoder, dataset, protocol, metric, value, ci95, details, specHash, seconds, finishedAt)
         VALUES (@encoder, @dataset, @protocol, @metric, @value, @ci95, @details, @specHash, @seconds, @finishedAt)`,
        )
        .run({ ...result, details: JSON.stringify(result.details) }),
    );
  }

  all(): CellResult[] {
    return (this.db.prepare('SELECT * FROM cells ORDER BY encoder, dataset, protocol').all() as Row[]).map(fromRow);
  }

  setMeta(key: string, value: unknown): void {
    this.write(() =>
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, JSON.stringify(value)),
    );
  }

  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row && (JSON.parse(row.value) as T);
  }

  close(): void {
    this.db.close();
  }
}

const COLUMNS: Record<string, string[]> = {
  cells: ['encoder', 'dataset', 'protocol', 'metric', 'value', 'ci95', 'details', 'specHash', 'seconds', 'finishedAt'],
  meta: ['key', 'value'],
};

/** Refuse a file that is not a store of ours (another program's database, or not SQLite at all) before any write. */
function checkSchema(db: Database.Database, path: string, mustExist: boolean): void {
  let tables: string[];
  try {
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
  } catch (err) {
    throw new Error(`results store ${path}: not an SQLite database (${(err as Error).message})`);
  }
  const foreign = tables.filter((t) => !(t in COLUMNS));
  const missing = Object.keys(COLUMNS).filter((t) => !tables.includes(t));
  if (foreign.length > 0 || (missing.length > 0 && (mustExist || tables.length > 0))) {
    throw new Error(
      `results store ${path}: not an ssl-bench results store (tables: ${tables.join(', ') || 'none'}; expected ${Object.keys(COLUMNS).join(', ')})`,
    );
  }
  for (const table of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    if (columns.join() !== COLUMNS[table].join())
      throw new Error(
        `results store ${path}: table ${table} has columns ${columns.join(', ')}, not an ssl-bench store's`,
      );
  }
}

function fromRow(row: Row): CellResult {
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
}
