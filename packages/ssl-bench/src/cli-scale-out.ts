import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { isPostgresUrl, openResultsStore, redactUrl } from './cell-store';
import { BIN, UsageError } from './cli';
import type { WorkerOptions } from './pg/worker';
import { writeReport } from './report/write-report';
import type { BenchConfig } from './config-schema';
import { parseDataRoot } from './data-root';
import { stopOnSignals } from '@selfsup/runtime/node';

/** Help of the commands that spread a benchmark over machines through PostgreSQL. */
export const SCALE_OUT_HELP: Record<string, string> = {
  submit: `Usage: ssl-bench submit <config.yaml|config.json> --store postgresql://… [--retries <n>]

Validates the config, stores it as a run in the PostgreSQL store and queues every
cell that is neither stored nor already queued (pg-boss). Submitting again is safe:
it queues only cells that failed for good or were never queued. Prints the run id.

Options:
  --store <url>      the PostgreSQL store, postgresql://user:password@host:port/database
  --retries <n>      attempts at a cell after its first (a killed worker uses one; default 3)
  -h, --help         this help`,
  worker: `Usage: ssl-bench worker --store postgresql://… [--once] [--backend <b>] [--data-root <map>] [options]

Takes cells from the queue, builds (and keeps) the encoder each needs, computes it
and stores the result in one transaction with the job's completion. A heartbeat
thread keeps its cell claimed; a worker silent past its visibility timeout
(killed, powered off) loses its cell to the others, and a cell is never stored twice.
Ctrl-C stops after the cell in progress.

Options:
  --store <url>              the PostgreSQL store
  --once                     exit when nothing is queued, retrying or running (default: wait for work)
  --run <id>                 take only cells of this run's encoders (default: any run's)
  --backend <b>              auto | tensorflow | wasm | cpu, overriding the configs' (e.g. tensorflow on a GPU)
  --threads <n>              wasm backend threads (default: all cores)
  --data-root <dir>          the submitted config's folder on this machine (its relative paths resolve here)
  --data-root <from>=<to>    rewrite absolute paths starting with <from> (repeatable)
  --name <name>              worker name in status and results (default <host>-<pid>); a stable name
                             lets a restarted worker resume its pretraining runs
  --work-dir <dir>           feature cache and pretraining runs (default ssl-bench-worker/<name>)
  --heartbeat <s>            seconds between heartbeats (default 10)
  --visibility-timeout <s>   silence after which this worker's cell goes back to the queue (default 60)
  -h, --help                 this help`,
  status: `Usage: ssl-bench status --store postgresql://… [--run <id>] [--json]

Cells of a run by state (done, running, queued, failed, with each failure's message)
and every worker with its heartbeat, cells done and the cell it holds.

Options:
  --store <url>    the PostgreSQL store
  --run <id>       the run (default: the latest submitted)
  --json           print the status as JSON
  -h, --help       this help`,
};

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

type Values = Record<string, unknown>;

/** `--store` as a PostgreSQL URL, or a usage error saying what is wrong. */
export function postgresStore(values: Values, command: string): string {
  const store = values.store;
  if (typeof store !== 'string') throw new UsageError(`${command} needs --store postgresql://user@host:port/database`);
  if (!isPostgresUrl(store)) {
    throw new UsageError(
      `${command} needs a PostgreSQL store (--store postgresql://…), got '${store}'; on one machine use ssl-bench run`,
    );
  }
  return store;
}

function positiveNumber(flag: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got '${value}'`);
  return n;
}

export async function submitCommand(
  file: string,
  config: BenchConfig,
  values: Values,
  log: (l: string) => void,
): Promise<number> {
  const url = postgresStore(values, 'submit');
  const retries = values.retries === undefined ? 3 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0)
    throw new UsageError(`--retries must be an integer >= 0, got '${values.retries}'`);
  const { submitConfig } = await import('./pg/submit');
  const r = await submitConfig(url, config, { retries, source: resolve(file) });
  log(
    `run ${r.run}: ${r.cells} cells; ${r.stored} already stored, ${r.pending} already queued, ${r.enqueued} queued now (${redactUrl(url)})`,
  );
  process.stdout.write(`${r.run}\n`);
  return 0;
}

export async function workerCommand(values: Values, log: (l: string) => void) {
  const url = postgresStore(values, 'worker');
  const backend = values.backend as (typeof BACKENDS)[number] | undefined;
  if (backend !== undefined && !BACKENDS.includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got '${backend}'`);
  let dataRoot: ReturnType<typeof parseDataRoot>;
  try {
    dataRoot = parseDataRoot((values['data-root'] as string[] | undefined) ?? []);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    throw new UsageError(`--threads must be a positive integer, got '${values.threads}'`);
  const heartbeatSeconds = positiveNumber('heartbeat', values.heartbeat, 10);
  const visibilitySeconds = positiveNumber('visibility-timeout', values['visibility-timeout'], 60);
  if (visibilitySeconds <= 2 * heartbeatSeconds) {
    throw new UsageError(
      `--visibility-timeout (${visibilitySeconds}) must exceed twice --heartbeat (${heartbeatSeconds}), or a live worker would lose its cell`,
    );
  }
  return workHere(
    {
      url,
      name: values.name as string | undefined,
      once: Boolean(values.once),
      run: values.run as string | undefined,
      backend,
      wasmThreads: threads,
      dataRoot,
      workDir: values['work-dir'] === undefined ? undefined : resolve(String(values['work-dir'])),
      heartbeatSeconds,
      visibilitySeconds,
      log,
    },
    log,
  );
}

/** Run a worker in this process; Ctrl-C stops it after the cell in progress. Resolves to the exit code. */
async function workHere(options: WorkerOptions, log: (l: string) => void): Promise<number> {
  const stop = stopOnSignals({
    onFirst: (signal) => log(`\n${signal}: stopping after the current cell (finished cells are stored)`),
  });
  try {
    const { runWorker } = await import('./pg/worker');
    const s = await runWorker({ ...options, signal: stop.signal });
    log(`[${s.name}] ${s.computed} cells computed, ${s.skipped} already stored, ${s.failed} failed`);
    return s.interrupted ? stop.exitCode : 0;
  } finally {
    stop.dispose();
  }
}

/**
 * `ssl-bench run|demo --store postgresql://…`: submit the config, work its cells on this machine
 * (`concurrency` worker processes, or one in this process) until none is left, then report.
 * Workers started elsewhere on the same store help.
 */
export async function runOnPostgres(
  config: BenchConfig,
  source: string,
  values: Values,
  concurrency: number,
  threads: number,
  log: (l: string) => void,
): Promise<number> {
  const url = postgresStore(values, 'run --store');
  const out = resolve(String(values.out ?? 'ssl-bench-run'));
  const { submitConfig } = await import('./pg/submit');
  const r = await submitConfig(url, config, { source: source === 'demo' ? 'demo' : resolve(source) });
  log(`run ${r.run}: ${r.cells} cells; ${r.stored} already stored, ${r.enqueued + r.pending} to compute`);
  let code: number;
  if (concurrency === 1) {
    code = await workHere(
      { url, once: true, run: r.run, wasmThreads: threads, workDir: join(out, 'worker'), log },
      log,
    );
  } else {
    log(`running ${concurrency} worker processes`);
    const codes = await Promise.all(
      Array.from(
        { length: concurrency },
        (_, i) =>
          new Promise<number>((done) => {
            const args = ['worker', '--store', url, '--once', '--run', r.run, '--threads', String(threads)];
            const child = spawn(process.execPath, [BIN, ...args, '--work-dir', join(out, `worker-${i}`)], {
              stdio: ['ignore', 'inherit', 'inherit'],
            });
            child.on('exit', (c, signal) => done(c ?? (signal ? 130 : 1)));
          }),
      ),
    );
    code = codes.find((c) => c !== 0) ?? 0;
  }
  if (code !== 0 || values['no-report']) return code;
  const store = await openResultsStore(url, { run: r.run });
  try {
    const report = await writeReport({
      cells: await store.cells(),
      reference: (await store.reference())!,
      outDir: resolve(String(values.report ?? 'ssl-bench-report')),
    });
    log(`report: ${report.index}`);
    return 0;
  } finally {
    await store.close();
  }
}

export async function statusCommand(values: Values): Promise<number> {
  const url = postgresStore(values, 'status');
  const { formatStatus, runStatus } = await import('./pg/status');
  const status = await runStatus(url, values.run as string | undefined);
  process.stdout.write(`${values.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
  return 0;
}
