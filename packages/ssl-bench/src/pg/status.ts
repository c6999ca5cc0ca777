import { SCHEMA } from './migrations';
import { PgStore } from './pg-store';
import { bossDb, readQueue } from './queue';

export interface WorkerState {
  name: string;
  host: string;
  pid: number;
  backend: string | null;
  /** alive: beating; stopped: exited cleanly; lost: silent past its visibility timeout. */
  state: 'alive' | 'stopped' | 'lost';
  heartbeatAgeSeconds: number;
  /** Cells it computed and stored since it (re)started. */
  cellsDone: number;
  /** Attempts at a cell that threw since it (re)started (each went back to the queue while retries were left). */
  cellsFailed: number;
  /** The cell it holds now. */
  current: string | null;
  lastError: string | null;
}

export interface RunStatus {
  run: string;
  source: string | null;
  submittedAt: string;
  cells: number;
  done: number;
  running: number;
  queued: number;
  failed: number;
  /** Cells neither stored nor in the queue (a job archived without a result): submit again to queue them. */
  unqueued: number;
  failures: { label: string; message: string }[];
  workers: WorkerState[];
}

/** Where a run stands: its cells by state, and every worker that ever joined the store. */
export async function runStatus(url: string, run?: string): Promise<RunStatus> {
  const store = await PgStore.openForReading(url, { run });
  try {
    const { pool } = store;
    const id = store.run!.id;
    const info = (
      await pool.query<{ source: string | null; submitted_at: Date }>(
        `SELECT source, submitted_at FROM ${SCHEMA}.runs WHERE id = $1`,
        [id],
      )
    ).rows[0];
    const cells = (
      await pool.query<{ label: string; stored: boolean; job_id: string | null; queue: string | null }>(
        `SELECT r.encoder || ' × ' || r.dataset || ' × ' || r.protocol AS label,
                c.spec_hash IS NOT NULL AS stored, j.job_id, j.queue
         FROM ${SCHEMA}.run_cells r
         LEFT JOIN ${SCHEMA}.cells c ON c.spec_hash = r.spec_hash
         LEFT JOIN ${SCHEMA}.cell_jobs j ON j.spec_hash = r.spec_hash
         WHERE r.run_id = $1`,
        [id],
      )
    ).rows;
    const status: RunStatus = {
      run: id,
      source: info.source,
      submittedAt: info.submitted_at.toISOString(),
      cells: cells.length,
      done: 0,
      running: 0,
      queued: 0,
      failed: 0,
      unqueued: 0,
      failures: [],
      workers: [],
    };
    const boss = await readQueue(pool);
    try {
      for (const c of cells) {
        if (c.stored) {
          status.done++;
          continue;
        }
        const job =
          boss && c.job_id && c.queue
            ? await boss.getJobById<unknown>(c.queue, c.job_id, { db: bossDb(pool), includeArchive: true })
            : null;
        switch (job?.state) {
          case 'created':
          case 'retry':
            status.queued++;
            break;
          case 'active':
            status.running++;
            break;
          case 'failed':
          case 'cancelled': {
            status.failed++;
            const out = job.output as { message?: string; value?: { message?: string } } | null;
            status.failures.push({ label: c.label, message: out?.message ?? out?.value?.message ?? job.state });
            break;
          }
          default:
            status.unqueued++;
        }
      }
    } finally {
      await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
    }
    const workers = await pool.query<{
      id: string;
      host: string;
      pid: number;
      backend: string | null;
      age: number;
      visibility_seconds: number;
      stopped: boolean;
      cells_done: number;
      cells_failed: number;
      current: string | null;
      last_error: string | null;
    }>(
      `SELECT w.id, w.host, w.pid, w.backend, extract(epoch FROM now() - w.heartbeat_at)::float8 AS age,
              w.visibility_seconds, w.stopped_at IS NOT NULL AS stopped, w.cells_done, w.cells_failed, w.last_error,
              (SELECT string_agg(c.label, ', ') FROM ${SCHEMA}.claims c WHERE c.worker = w.id) AS current
       FROM ${SCHEMA}.workers w ORDER BY w.id`,
    );
    status.workers = workers.rows.map((w) => ({
      name: w.id,
      host: w.host,
      pid: w.pid,
      backend: w.backend,
      state: w.stopped ? 'stopped' : w.age > w.visibility_seconds ? 'lost' : 'alive',
      heartbeatAgeSeconds: w.age,
      cellsDone: w.cells_done,
      cellsFailed: w.cells_failed,
      current: w.current,
      lastError: w.last_error,
    }));
    return status;
  } finally {
    await store.close();
  }
}

/** The status as the CLI prints it. */
export function formatStatus(s: RunStatus): string {
  const lines = [
    `run ${s.run}${s.source ? ` (${s.source})` : ''}, submitted ${s.submittedAt}: ${s.cells} cells`,
    `  done ${s.done} · running ${s.running} · queued ${s.queued} · failed ${s.failed}` +
      (s.unqueued ? ` · not queued ${s.unqueued} (submit again)` : ''),
  ];
  if (s.failures.length) {
    lines.push('failed cells (submit again to retry them):');
    for (const f of s.failures) lines.push(`  ${f.label}: ${f.message}`);
  }
  lines.push(s.workers.length ? 'workers:' : 'workers: none yet');
  for (const w of s.workers) {
    const age =
      w.heartbeatAgeSeconds < 120
        ? `${w.heartbeatAgeSeconds.toFixed(0)} s`
        : `${(w.heartbeatAgeSeconds / 60).toFixed(0)} min`;
    lines.push(
      `  ${w.name} (${w.host}, pid ${w.pid}${w.backend ? `, ${w.backend}` : ''}): ${w.state}, heartbeat ${age} ago, ` +
        `${w.cellsDone} cells done, ${w.cellsFailed} failed${w.current ? `, on ${w.current}` : ''}` +
        (w.lastError ? `; last error: ${w.lastError}` : ''),
    );
  }
  return lines.join('\n');
}
