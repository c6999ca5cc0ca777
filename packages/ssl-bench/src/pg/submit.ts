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
        const jobs = new Map(
          (
            await tx.query<{ spec_hash: string; job_id: string; queue: string }>(
              `SELECT spec_hash, job_id, queue FROM ${SCHEMA}.cell_jobs WHERE spec_hash = ANY($1)`,
              [hashes],
            )
          ).rows.map((r) => [r.spec_hash, r]),
        );
        const db = bossDb(tx);
        let pending = 0;
        let enqueued = 0;
        for (const [i, cell] of cells.entries()) {
          if (stored.has(cell.hash)) continue;
          const previous = jobs.get(cell.hash);
          const job = previous
            ? await boss.getJobById(previous.queue, previous.job_id, { db, includeArchive: false })
            : null;
          if (job && PENDING.has(job.state)) {
            pending++;
            continue;
          }
          const data: CellJob = {
            run,
            specHash: cell.hash,
            label: `${cell.encoder.name} × ${cell.dataset} × ${cell.variant.id}`,
          };
          const queue = queues.get(cell.encoder.name)!;
          // Within an encoder's queue, workers take cells in the config's order: a dataset's cells go together.
          const id = await boss.send(queue, data, {
            priority: cells.length - i,
            retryLimit: retries,
            expireInSeconds: MAX_CELL_SECONDS,
            db,
          });
          if (!id) throw new Error(`pg-boss did not queue cell ${data.label}`);
          await tx.query(
            `INSERT INTO ${SCHEMA}.cell_jobs (spec_hash, queue, job_id, run_id, position) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (spec_hash) DO UPDATE SET queue = EXCLUDED.queue, job_id = EXCLUDED.job_id,
               run_id = EXCLUDED.run_id, queued_at = now(), position = EXCLUDED.position`,
            [cell.hash, queue, id, run, i],
          );
          enqueued++;
        }
        return { run, cells: cells.length, stored: stored.size, pending, enqueued };
      });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  } finally {
    await store.close();
  }
}
