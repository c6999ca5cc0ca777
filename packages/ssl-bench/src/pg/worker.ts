import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ExternalEncoder } from '@selfsup/eval-transfer';
import { initBackend, type Encoder } from '@selfsup/runtime';
import type PgBoss from 'pg-boss';
import type { BenchConfig } from '../config-schema';
import { type DataRoot, mapDataPaths } from '../data-root';
import { buildEncoder } from '../encoders';
import { type BenchDataset, loadBenchDataset } from '../load-datasets';
import { datasetSizes, type ReportContext } from '../report/context';
import type { SplitFeatures } from '../protocols';
import type { CellResult } from '../results-store';
import { type Cell, computeCell, planCells } from '../runner';
import { startHeartbeat } from './heartbeat';
import { SCHEMA } from './migrations';
import { StoreError } from '../cell-store';
import { insertCell, isStored, PgStore, type Queryable, transaction } from './pg-store';
import { bossDb, type CellJob, encoderQueue, startQueue } from './queue';
import { reapStaleClaims } from './reaper';
import { isTrained, sharedEncoder } from './shared-encoder';
import { takeCell } from './take-cell';

export interface WorkerOptions {
  /** The store's `postgresql://` URL. */
  url: string;
  /** Shown by status and stored with each cell; default `<host>-<pid>`. Give a stable one to resume pretraining. */
  name?: string;
  /** Exit once nothing is queued, retrying or running anywhere (a running cell may still come back). */
  once?: boolean;
  /** Take only cells of this run's encoders (their queues may hold cells of other runs with the same encoder). */
  run?: string;
  /** Backend for every cell, overriding the configs' (e.g. `tensorflow` on a GPU machine). */
  backend?: BenchConfig['backend'];
  wasmThreads?: number;
  /** How this machine finds the configs' files. */
  dataRoot?: DataRoot;
  /** Feature cache and pretraining runs of this worker; default `ssl-bench-worker/<name>`. */
  workDir?: string;
  /** Seconds between heartbeats; default 10. */
  heartbeatSeconds?: number;
  /** A worker silent this long is taken for dead and its cell goes back to the queue; default 60. */
  visibilitySeconds?: number;
  /** Seconds between looks at an empty queue; default 2. */
  pollSeconds?: number;
  /** Stop after the cell in progress. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface WorkerSummary {
  name: string;
  computed: number;
  /** Jobs whose cell another worker had stored meanwhile. */
  skipped: number;
  failed: number;
  interrupted: boolean;
}

/** A submitted run as this worker sees it: the config as submitted (its hashes), with paths mapped for loading. */
interface KnownRun {
  id: string;
  config: BenchConfig;
  local: BenchConfig;
  cells: Map<string, Cell>;
}

/** What the report says of a run besides its numbers: each dataset's sizes and the backend, as workers meet them. */
async function recordContext(
  db: Queryable,
  runId: string,
  dataset: string,
  sizes: ReportContext['datasets'][string],
  backend: string,
): Promise<void> {
  await db.query(
    `UPDATE ${SCHEMA}.runs SET context = context
       || jsonb_build_object('datasets', coalesce(context->'datasets', '{}'::jsonb) || jsonb_build_object($2::text, $3::jsonb))
       || jsonb_build_object('backend', $4::text)
     WHERE id = $1`,
    [runId, dataset, JSON.stringify(sizes), backend],
  );
}

/** Encoders, datasets and features this process keeps between cells; a few encoders at most. */
class WorkCache {
  private readonly encoders = new Map<string, Promise<Encoder | ExternalEncoder>>();
  private readonly datasets = new Map<string, Promise<BenchDataset>>();
  private readonly features = new Map<string, { current?: SplitFeatures }>();

  constructor(private readonly maxEncoders = 2) {}

  dataset(run: KnownRun, name: string): Promise<BenchDataset> {
    const key = `${run.id}|${name}`;
    if (!this.datasets.has(key)) {
      const spec = run.local.datasets.find((d) => d.name === name);
      if (!spec) return Promise.reject(new Error(`run ${run.id} has no dataset '${name}'`));
      const loading = loadBenchDataset(spec, run.local);
      loading.catch(() => this.datasets.delete(key));
      this.datasets.set(key, loading);
    }
    return this.datasets.get(key)!;
  }

  async encoder(
    run: KnownRun,
    name: string,
    ctx: { db: Queryable; workDir: string; worker: string; log: (l: string) => void },
  ): Promise<Encoder | ExternalEncoder> {
    const key = `${run.id}|${name}`;
    const cached = this.encoders.get(key);
    if (cached) {
      // Most recently used last, so eviction drops the oldest.
      this.encoders.delete(key);
      this.encoders.set(key, cached);
      return cached;
    }
    while (this.encoders.size >= this.maxEncoders) {
      const [oldest, encoder] = this.encoders.entries().next().value as [string, Promise<Encoder | ExternalEncoder>];
      this.encoders.delete(oldest);
      for (const k of [...this.features.keys()]) if (k.startsWith(`${oldest}|`)) this.features.delete(k);
      await (await encoder.catch(() => undefined))?.dispose();
    }
    const submitted = run.config.encoders.find((e) => e.name === name);
    const spec = run.local.encoders.find((e) => e.name === name);
    if (!spec || !submitted) throw new Error(`run ${run.id} has no encoder '${name}'`);
    ctx.log(`building encoder ${name} (${spec.from})`);
    const encoderCtx = {
      config: run.local,
      pretrainDir: join(ctx.workDir, 'pretrain', run.id),
      dataset: (d: string) => this.dataset(run, d),
      log: ctx.log,
    };
    const building = isTrained(spec)
      ? sharedEncoder(
          ctx.db,
          encoderQueue(run.config, submitted),
          spec,
          encoderCtx,
          join(ctx.workDir, 'weights'),
          ctx.worker,
        )
      : buildEncoder(spec, encoderCtx);
    building.catch(() => this.encoders.delete(key));
    this.encoders.set(key, building);
    return building;
  }

  featuresOf(run: KnownRun, encoder: string, dataset: string): { current?: SplitFeatures } {
    const key = `${run.id}|${encoder}|${dataset}`;
    if (!this.features.has(key)) this.features.set(key, {});
    return this.features.get(key)!;
  }

  async dispose(): Promise<void> {
    for (const e of this.encoders.values()) await (await e.catch(() => undefined))?.dispose();
    this.encoders.clear();
    this.features.clear();
    this.datasets.clear();
  }
}

/** Encoders a worker keeps built (with their features) for the next cells. */
const ENCODERS_KEPT = 2;

const sleep = (seconds: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, seconds * 1000);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });

/** Store a cell's result (if any), drop the claim and complete the job, all in one transaction. */
async function finish(
  pool: PgStore['pool'],
  boss: PgBoss,
  job: PgBoss.Job<CellJob>,
  worker: string,
  result: CellResult | null,
): Promise<boolean> {
  return transaction(pool, async (tx) => {
    const stored = result ? await insertCell(tx, result, worker) : false;
    await tx.query(`DELETE FROM ${SCHEMA}.claims WHERE job_id = $1 AND worker = $2`, [job.id, worker]);
    await boss.complete(job.name, job.id, { worker, stored }, { db: bossDb(tx) });
    if (stored) await tx.query(`UPDATE ${SCHEMA}.workers SET cells_done = cells_done + 1 WHERE id = $1`, [worker]);
    return stored;
  });
}

async function failJob(
  pool: PgStore['pool'],
  boss: PgBoss,
  job: PgBoss.Job<CellJob>,
  worker: string,
  message: string,
): Promise<void> {
  await transaction(pool, async (tx) => {
    await tx.query(`DELETE FROM ${SCHEMA}.claims WHERE job_id = $1 AND worker = $2`, [job.id, worker]);
    await boss.fail(job.name, job.id, { message, worker }, { db: bossDb(tx) });
    await tx.query(`UPDATE ${SCHEMA}.workers SET last_error = $2, cells_failed = cells_failed + 1 WHERE id = $1`, [
      worker,
      message,
    ]);
  });
}

async function loadRun(db: Queryable, id: string, dataRoot: DataRoot): Promise<KnownRun> {
  const { rows } = await db.query<{ config: BenchConfig }>(`SELECT config FROM ${SCHEMA}.runs WHERE id = $1`, [id]);
  if (rows.length === 0) throw new StoreError(`run ${id} is not in the store`);
  const config = rows[0].config;
  return {
    id,
    config,
    local: mapDataPaths(config, dataRoot),
    cells: new Map(planCells(config).map((c) => [c.hash, c])),
  };
}

/**
 * Take cells from the queue until stopped (or, with `once`, until no work is left anywhere):
 * build the encoder a cell needs (kept for the next cells), compute the cell and store it in
 * one transaction with the job's completion. A heartbeat thread keeps this worker's claims
 * alive; cells of workers whose heartbeat stopped go back to the queue.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const heartbeatSeconds = options.heartbeatSeconds ?? 10;
  const visibilitySeconds = options.visibilitySeconds ?? 60;
  if (!(visibilitySeconds > 2 * heartbeatSeconds)) {
    throw new Error(
      `visibility timeout (${visibilitySeconds} s) must exceed twice the heartbeat (${heartbeatSeconds} s), or live workers lose their cells`,
    );
  }
  const workDir = options.workDir ?? join('ssl-bench-worker', name);
  const dataRoot = options.dataRoot ?? { prefixes: [] };
  const summary: WorkerSummary = { name, computed: 0, skipped: 0, failed: 0, interrupted: false };
  const store = await PgStore.openForWriting(options.url, `ssl-bench worker ${name}`);
  const { pool } = store;
  let boss: PgBoss | undefined;
  let heartbeat: ReturnType<typeof startHeartbeat> | undefined;
  const cache = new WorkCache(ENCODERS_KEPT);
  // The queues (encoders) of the last cells, most recent first: tried first, their encoders are built.
  let recent: string[] = [];
  const runs = new Map<string, Promise<KnownRun>>();
  let backendReady: ReturnType<typeof initBackend> | undefined;
  const contextRecorded = new Set<string>();
  try {
    boss = await startQueue(pool, { supervise: true });
    await pool.query(
      `INSERT INTO ${SCHEMA}.workers (id, host, pid, backend, visibility_seconds) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET host = $2, pid = $3, backend = $4, visibility_seconds = $5,
         started_at = now(), heartbeat_at = now(), stopped_at = NULL, cells_done = 0, cells_failed = 0,
         last_error = NULL`,
      [name, hostname(), process.pid, options.backend ?? null, visibilitySeconds],
    );
    heartbeat = startHeartbeat(options.url, name, heartbeatSeconds, (m) => log(`[${name}] heartbeat: ${m}`));
    let only: string[] | null = null;
    if (options.run) {
      const run = await loadRun(pool, options.run, dataRoot);
      runs.set(run.id, Promise.resolve(run));
      only = run.config.encoders.map((e) => encoderQueue(run.config, e));
    }
    log(`[${name}] worker started on ${store.location}${options.run ? `, run ${options.run}` : ''}`);
    while (!options.signal?.aborted) {
      for (const r of await reapStaleClaims(pool, boss)) {
        log(`[${name}] worker ${r.worker} stopped heartbeating: ${r.label} goes back to the queue`);
      }
      const { job, queues } = await takeCell(pool, boss, name, recent, only);
      if (!job) {
        if (options.once) {
          // Work left anywhere (queued, retrying, or running and maybe coming back) keeps a --once worker.
          let left = 0;
          for (const q of queues) left += await boss.getQueueSize(q, { before: 'completed' });
          if (left === 0) break;
        }
        await sleep(options.pollSeconds ?? 2, options.signal);
        continue;
      }
      recent = [job.name, ...recent.filter((q) => q !== job.name)].slice(0, ENCODERS_KEPT);
      const { label } = job.data;
      try {
        if (!runs.has(job.data.run)) {
          const loading = loadRun(pool, job.data.run, dataRoot);
          loading.catch(() => runs.delete(job.data.run));
          runs.set(job.data.run, loading);
        }
        const run = await runs.get(job.data.run)!;
        const cell = run.cells.get(job.data.specHash);
        if (!cell) throw new Error(`run ${run.id} has no cell with spec hash ${job.data.specHash}`);
        if (await isStored(pool, cell.hash)) {
          await finish(pool, boss, job, name, null);
          summary.skipped++;
          log(`[${name}] ${label}: already stored`);
          continue;
        }
        backendReady ??= initBackend(options.backend ?? run.config.backend, { wasmThreads: options.wasmThreads });
        const backend = await backendReady;
        const encoder = await cache.encoder(run, cell.encoder.name, {
          db: pool,
          workDir,
          worker: name,
          log: (l) => log(`[${name}] ${l}`),
        });
        const data = await cache.dataset(run, cell.dataset);
        if (!contextRecorded.has(`${run.id}|${cell.dataset}`)) {
          await recordContext(pool, run.id, cell.dataset, datasetSizes(data), backend.name);
          contextRecorded.add(`${run.id}|${cell.dataset}`);
        }
        log(`[${name}] ${label} …`);
        const began = performance.now();
        const outcome = await computeCell(
          encoder,
          cell,
          data,
          run.local,
          join(workDir, 'features'),
          cache.featuresOf(run, cell.encoder.name, cell.dataset),
        );
        const seconds = (performance.now() - began) / 1000;
        const stored = await finish(pool, boss, job, name, {
          encoder: cell.encoder.name,
          dataset: cell.dataset,
          protocol: cell.variant.id,
          ...outcome,
          specHash: cell.hash,
          seconds,
          finishedAt: new Date().toISOString(),
        });
        if (stored) summary.computed++;
        else summary.skipped++;
        log(
          `[${name}] ${label}: ${outcome.metric} ${outcome.value.toFixed(4)} (${seconds.toFixed(1)} s)` +
            (stored ? '' : '; another worker stored it first, its result stays'),
        );
      } catch (err) {
        summary.failed++;
        const message = (err as Error).message;
        log(`[${name}] ${label} failed: ${message}`);
        await failJob(pool, boss, job, name, message);
      }
    }
    summary.interrupted = Boolean(options.signal?.aborted);
    return summary;
  } finally {
    await heartbeat?.stop();
    await cache.dispose();
    await pool.query(`UPDATE ${SCHEMA}.workers SET stopped_at = now() WHERE id = $1`, [name]).catch(() => undefined);
    await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
    await store.close();
  }
}
