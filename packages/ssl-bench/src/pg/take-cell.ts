import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { SCHEMA } from './migrations';
import { transaction } from './pg-store';
import { bossDb, type CellJob } from './queue';

/**
 * The encoder queues with cells not yet stored, in the order this worker should try them: the
 * encoders it has built first (their features are cached), then those the fewest live workers
 * are on (so idle workers spread over encoders instead of each building the same one), then the
 * oldest submitted, in config order.
 */
async function queueOrder(tx: pg.PoolClient, worker: string, mine: string[], only: string[] | null): Promise<string[]> {
  const { rows } = await tx.query<{ queue: string }>(
    `WITH pending AS (
       SELECT j.queue, min(j.queued_at) AS since, min(j.position) AS position
       FROM ${SCHEMA}.cell_jobs j
       WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.cells c WHERE c.spec_hash = j.spec_hash)
       GROUP BY j.queue
     ), busy AS (
       SELECT queue, count(*) AS n FROM ${SCHEMA}.workers
       WHERE id <> $1 AND queue IS NOT NULL AND stopped_at IS NULL
         AND heartbeat_at >= now() - visibility_seconds * interval '1 second'
       GROUP BY queue
     )
     SELECT p.queue FROM pending p LEFT JOIN busy b ON b.queue = p.queue
     WHERE $3::text[] IS NULL OR p.queue = ANY($3::text[])
     ORDER BY array_position($2::text[], p.queue) NULLS LAST, coalesce(b.n, 0), p.since, p.position, p.queue`,
    [worker, mine, only],
  );
  return rows.map((r) => r.queue);
}

/**
 * Take the next cell for this worker and claim it, in one transaction: the job turns active and
 * the claim (which the heartbeat keeps alive) appears together, so a worker dying in between
 * leaves nothing behind. Workers take turns through an advisory lock, so two idle ones do not
 * both pick the same free encoder. `mine`: this worker's built encoders' queues, most recent first;
 * `only`: the queues it may take from (null: all).
 */
export async function takeCell(
  pool: pg.Pool,
  boss: PgBoss,
  worker: string,
  mine: string[],
  only: string[] | null = null,
): Promise<{ job: PgBoss.Job<CellJob> | undefined; queues: string[] }> {
  return transaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${SCHEMA}.take'))`);
    const queues = await queueOrder(tx, worker, mine, only);
    const db = bossDb(tx);
    for (const queue of queues) {
      const [job] = await boss.fetch<CellJob>(queue, { batchSize: 1, db });
      if (!job) continue;
      await tx.query(
        `INSERT INTO ${SCHEMA}.claims (job_id, queue, spec_hash, label, worker) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (job_id) DO UPDATE SET queue = $2, worker = $5, claimed_at = now()`,
        [job.id, queue, job.data.specHash, job.data.label, worker],
      );
      // A beat from the main thread too: the heartbeat thread may still be starting.
      await tx.query(`UPDATE ${SCHEMA}.workers SET queue = $2, heartbeat_at = now() WHERE id = $1`, [worker, queue]);
      return { job, queues };
    }
    return { job: undefined, queues };
  });
}
