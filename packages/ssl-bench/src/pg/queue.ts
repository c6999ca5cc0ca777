import PgBoss from 'pg-boss';
import type { BenchConfig, EncoderSpec } from '../config-schema';
import { specHash } from '../spec-hash';
import type { Queryable } from './pg-store';

/**
 * The pg-boss queue of an encoder's cells: one job per cell not yet stored. One queue per encoder
 * (its spec, pretraining data, seed and input size, whatever run lists it) lets a worker keep to
 * the encoder it has built, and idle workers pick encoders nobody is on.
 */
export function encoderQueue(config: BenchConfig, encoder: EncoderSpec): string {
  const pretrainData =
    'pretrain' in encoder ? config.datasets.find((d) => d.name === encoder.pretrain.dataset) : undefined;
  return `ssl-bench-${specHash({ encoder, pretrainData, seed: config.seed, imageSize: config.imageSize })}`;
}

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

/** pg-boss on the store's pool, its schema created or migrated. */
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
