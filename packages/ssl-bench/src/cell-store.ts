import type { ReportContext } from './report/context';
import type { ReferenceSource } from './report/correlation';
import type { CellResult } from './results-store';

/**
 * Where finished cells live: one SQLite file on one machine, or a PostgreSQL database that
 * workers on many machines share. Either keeps one row per finished cell keyed by its spec
 * hash, plus the run's reference metadata the report needs.
 */
export interface CellStore {
  /** The file path or the URL (password hidden), for messages. */
  readonly location: string;
  /** The stored result of a cell, if it was computed with the same spec. */
  get(encoder: string, dataset: string, protocol: string, specHash: string): Promise<CellResult | undefined>;
  /** Store a finished cell; false when a result with this spec hash was already stored (kept as it was). */
  put(result: CellResult): Promise<boolean>;
  /** The cells of the run the store was opened on (SQLite: every cell in the file). */
  cells(): Promise<CellResult[]>;
  /** Where each encoder's reference value comes from, as the run stored it. */
  reference(): Promise<ReferenceSource | undefined>;
  /** What the report's header says about the run (datasets' sizes, backend, date), when the run stored it. */
  context(): Promise<ReportContext | undefined>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL: the run to read (an id printed by `ssl-bench submit`); default the latest submitted. */
  run?: string;
  /** SQLite: open without writing anything (a report never changes the file it reads). */
  readOnly?: boolean;
}

/** A `postgresql://` or `postgres://` connection URL (anything else is a SQLite path). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A URL with its password replaced by `***`, safe for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/**
 * Open an existing results store for reading and adding cells: `postgresql://…` opens the
 * PostgreSQL store (its driver is loaded only then), anything else a SQLite file.
 */
export async function openResultsStore(location: string, options: OpenStoreOptions = {}): Promise<CellStore> {
  if (isPostgresUrl(location)) {
    const { PgStore } = await import('./pg/pg-store');
    return PgStore.openForReading(location, options);
  }
  const { SqliteCellStore } = await import('./sqlite-cell-store');
  return SqliteCellStore.open(location, { readOnly: options.readOnly });
}

/** The store cannot be reached or read (no server, no such run, a newer schema): a message, not a stack trace. */
export class StoreError extends Error {
  override name = 'StoreError';
}
