import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { SCHEMA } from './migrations';
import { transaction } from './pg-store';
import { bossDb } from './queue';

export interface ReapedClaim {
  jobId: string;
  label: string;
  worker: string;
}

/**
 * Give back the cells of workers whose heartbeat is older than their visibility timeout (killed,
 * powered off, cut from the network): pg-boss fails the job, which puts it back in the queue
 * while retries are left. Several workers may reap at once; SKIP LOCKED gives each claim to one.
 */
export async function reapStaleClaims(pool: pg.Pool, boss: PgBoss): Promise<ReapedClaim[]> {
  return transaction(pool, async (tx) => {
    const { rows } = await tx.query<{ job_id: string; queue: string; label: string; worker: string }>(
      `SELECT c.job_id, c.queue, c.label, c.worker FROM ${SCHEMA}.claims c JOIN ${SCHEMA}.workers w ON w.id = c.worker
       WHERE w.heartbeat_at < now() - w.visibility_seconds * interval '1 second'
       FOR UPDATE OF c SKIP LOCKED`,
    );
    const db = bossDb(tx);
    for (const r of rows) {
      // Only an active job is still the dead worker's; pg-boss may have expired it already.
      const job = await boss.getJobById(r.queue, r.job_id, { db, includeArchive: false });
      if (job?.state === 'active') {
        await boss.fail(r.queue, r.job_id, { message: `worker ${r.worker} stopped heartbeating` }, { db });
      }
      await tx.query(`DELETE FROM ${SCHEMA}.claims WHERE job_id = $1`, [r.job_id]);
    }
    return rows.map((r) => ({ jobId: r.job_id, label: r.label, worker: r.worker }));
  });
}
