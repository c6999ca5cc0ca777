import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { BenchConfig } from '../config-schema';
import type { ReferenceSource } from '../report/correlation';
import { explicitReferences, planCells } from '../runner';
import { specHash } from '../spec-hash';
import { SCHEMA } from './migrations';
import { PgStore, transaction } from './pg-store';
import { bossDb, type CellJob, encoderQueue, MAX_CELL_SECONDS, startQueue } from './queue';

export interface SubmitOptions {
  /** Attempts at a cell after its first (a worker killed mid-cell uses one); default 3. */
  retries?: number;
  /** Where the config came from (its file), shown by status. */
  source?: string;
}

export interface SubmitResult {
  /** The run's id: a hash of the validated config, so submitting the same config again finds the same run. */
  run: string;
  cells: number;
  /** Cells already stored (by this run or any other with the same spec). */
  stored: number;
  /** Cells already waiting or running in the queue. */
  pending: number;
  /** Cells put in the queue now. */
  enqueued: number;
}

const PENDING = new Set(['created', 'retry', 'active']);

/**
 * Store a validated config as a run and queue every cell that is neither stored nor pending.
 * Idempotent: submitting again queues only what failed for good or was never queued.
 */
export async function submitConfig(
  url: string,
  config: BenchConfig,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  const retries = options.retries ?? 3;
  const store = await PgStore.openForWriting(url, 'ssl-bench submit');
  try {
    const boss = await startQueue(store.pool);
    try {
      const run = specHash({ config });
      const cells = planCells(config);
      const hashes = cells.map((c) => c.hash);
      const reference: ReferenceSource = { ...config.reference, explicit: explicitReferences(config.encoders) };
      const queues = new Map(config.encoders.map((e) => [e.name, encoderQueue(config, e)]));
      // pg-boss creates a queue once (later calls do nothing); its DDL runs outside our transaction.
      for (const q of new Set(queues.values())) await boss.createQueue(q, { name: q, policy: 'standard' });
      return await transaction(store.pool, async (tx) => {
        // Two submits at once would both see a cell unqueued and queue it twice.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${SCHEMA}.submit'))`);
        await tx.query(
          `INSERT INTO ${SCHEMA}.runs (id, config, reference, source) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET submitted_at = now(), source = EXCLUDED.source`,
          [run, JSON.stringify(config), JSON.stringify(reference), options.source ?? null],
        );
        await tx.query(
          `INSERT INTO ${SCHEMA}.run_cells (run_id, spec_hash, encoder, dataset, protocol)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
          [run, hashes, cells.map((c) => c.encoder.name), cells.map((c) => c.dataset), cells.map((c) => c.variant.id)],
        );
        const stored = new Set(
          (
            await tx.query<{ spec_hash: string }>(`SELECT spec_hash FROM ${SCHEMA}.cells WHERE spec_hash = ANY($1)`, [
              hashes,
            ])
          ).rows.map((r) => r.spec_hash),
        );
        const queued = new Map(
          (
            await tx.query<{ spec_hash: string; job_id: string; queue: string }>(
              `SELECT spec_hash, job_id, queue FROM ${SCHEMA}.cell_jobs WHERE spec_hash = ANY($1)`,
              [hashes],
            )
          ).rows.map((r) => [r.spec_hash, r]),
        );
        const db = bossDb(tx);
        let pending = 0;
        const jobs: PgBoss.JobInsert<CellJob>[] = [];
        const positions: number[] = [];
        for (const [i, cell] of cells.entries()) {
          if (stored.has(cell.hash)) continue;
          const previous = queued.get(cell.hash);
          const job = previous
            ? await boss.getJobById(previous.queue, previous.job_id, { db, includeArchive: false })
            : null;
          if (job && PENDING.has(job.state)) {
            pending++;
            continue;
          }
          jobs.push({
            id: randomUUID(),
            name: queues.get(cell.encoder.name)!,
            data: { run, specHash: cell.hash, label: `${cell.encoder.name} × ${cell.dataset} × ${cell.variant.id}` },
            // Within an encoder's queue, workers take cells in the config's order: a dataset's cells go together.
            priority: cells.length - i,
            retryLimit: retries,
            expireInSeconds: MAX_CELL_SECONDS,
          });
          positions.push(i);
        }
        if (jobs.length) {
          // One round trip for all jobs, however many thousand cells the config has.
          await boss.insert(jobs, { db });
          await tx.query(
            `INSERT INTO ${SCHEMA}.cell_jobs (spec_hash, queue, job_id, run_id, position)
             SELECT spec_hash, queue, job_id, $1, position
             FROM unnest($2::text[], $3::text[], $4::uuid[], $5::int[]) AS j (spec_hash, queue, job_id, position)
             ON CONFLICT (spec_hash) DO UPDATE SET queue = EXCLUDED.queue, job_id = EXCLUDED.job_id,
               run_id = EXCLUDED.run_id, queued_at = now(), position = EXCLUDED.position`,
            [run, jobs.map((j) => j.data!.specHash), jobs.map((j) => j.name), jobs.map((j) => j.id), positions],
          );
        }
        const enqueued = jobs.length;
        return { run, cells: cells.length, stored: stored.size, pending, enqueued };
      });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  } finally {
    await store.close();
  }
}
