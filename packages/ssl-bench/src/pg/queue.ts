import PgBoss from 'pg-boss';
import type { Queryable } from './pg-store';

/** The pg-boss queue of cells to compute: one job per cell not yet stored. */
export const QUEUE = 'ssl-bench-cells';

/** What a job carries: the run whose config defines the cell, and the cell's spec hash. */
export interface CellJob {
  run: string;
  specHash: string;
  /** `encoder × dataset × protocol`, for logs and status. */
  label: string;
}

/**
 * pg-boss's hard limit on one attempt at a cell, whatever the heartbeats say (pg-boss allows
 * under 24 h). It also takes back a job whose worker died between taking it and claiming it.
 */
export const MAX_CELL_SECONDS = 23 * 3600;

/** pg-boss talks to the database through this: our pool, or the client of an open transaction. */
export function bossDb(db: Queryable): PgBoss.Db {
  return { executeSql: (text, values) => db.query(text, values) };
}

export interface QueueOptions {
  /** Run pg-boss's maintenance (expiring overdue jobs, archiving finished ones): workers do. */
  supervise?: boolean;
}

/** pg-boss on the store's pool, its schema created or migrated, the cell queue present. */
export async function startQueue(db: Queryable, options: QueueOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    db: bossDb(db),
    supervise: options.supervise ?? false,
    schedule: false,
    migrate: true,
    maintenanceIntervalSeconds: 60,
  });
  // Maintenance errors (a lost connection) surface on the next query; they must not crash a worker.
  boss.on('error', () => {});
  await boss.start();
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'standard' });
  return boss;
}

/** pg-boss without touching its schema (status): null when no queue was ever set up. */
export async function readQueue(db: Queryable): Promise<PgBoss | null> {
  const boss = new PgBoss({ db: bossDb(db), supervise: false, schedule: false, migrate: false });
  boss.on('error', () => {});
  try {
    await boss.start();
  } catch {
    return null;
  }
  return boss;
}
