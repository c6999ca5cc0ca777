import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestDatabase, describeWithPostgres } from '../../../../tooling/test-pg';
import { main } from '../cli';
import { DEMO_DATA_DIR } from '../demo-config';
import { SCHEMA } from './migrations';
import { runStatus } from './status';
import { submitConfig } from './submit';
import { runWorker } from './worker';
import { validateConfig } from '../config';

const BIN = fileURLToPath(new URL('../../bin/ssl-bench.js', import.meta.url));

/**
 * 2 random ConvNets and one trained (supervised, two steps on MNIST) × MNIST and Fashion-MNIST
 * (bundled subsets, relative paths) × linear, kNN, few-shot: 18 cells.
 */
const CONFIG = {
  seed: 3,
  backend: 'wasm',
  encoders: [
    ...[0.25, 0.5].map((width, i) => ({
      name: `convnet-${i}`,
      from: 'random',
      backbone: { arch: 'convnet', width },
    })),
    {
      name: 'trained',
      from: 'supervised',
      backbone: { arch: 'convnet', width: 0.25 },
      pretrain: { dataset: 'mnist', epochs: 1, batchSize: 32, limit: 60 },
    },
  ],
  datasets: [
    { name: 'mnist', format: 'imagefolder', train: 'mnist/train', test: 'mnist/test' },
    {
      name: 'fashion-mnist',
      format: 'idx',
      train: { images: 'fashion-mnist/train-images-idx3-ubyte.gz', labels: 'fashion-mnist/train-labels-idx1-ubyte.gz' },
      test: { images: 'fashion-mnist/t10k-images-idx3-ubyte.gz', labels: 'fashion-mnist/t10k-labels-idx1-ubyte.gz' },
    },
  ],
  protocols: [
    { kind: 'linear', cGrid: [1, 0.01] },
    { kind: 'knn', k: 5 },
    { kind: 'fewshot', ways: 3, shots: [2], queries: 3, episodes: 20 },
  ],
  reference: { dataset: 'mnist', protocol: 'linear' },
};
const CELLS = 18;

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

function sh(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  return { child, output: () => text };
}

/** Freeze the worker the moment it holds a cell; if it still does, SIGKILL it there (else let it go and wait again). */
async function killMidCell(db: pg.Pool, name: string, child: ChildProcess): Promise<{ label: string; hash: string }> {
  const claim = async () =>
    (
      await db.query<{ job_id: string; label: string; spec_hash: string }>(
        `SELECT job_id, label, spec_hash FROM ${SCHEMA}.claims WHERE worker = $1`,
        [name],
      )
    ).rows[0];
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker ${name} finished before it could be killed`);
    const held = await claim();
    if (held) {
      child.kill('SIGSTOP');
      const still = await claim();
      if (still?.job_id === held.job_id) {
        child.kill('SIGKILL'); // no goodbye: as a crash, a power cut or an OOM kill
        return { label: held.label, hash: held.spec_hash };
      }
      child.kill('SIGCONT');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeWithPostgres('ssl-bench submit, worker and status on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('ssl_bench_scale_out');
    // submit prints the run id on stdout (for scripts); keep the test output clean.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await db?.drop();
  });

  it('3 workers, one SIGKILLed mid-cell: every cell stored once, the report of a single-machine SQLite run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-scale-out-'));
    // The submitter's folder holds only the config; workers find the data with --data-root.
    const submitDir = join(dir, 'submit');
    mkdirSync(submitDir);
    writeFileSync(join(submitDir, 'bench.json'), JSON.stringify(CONFIG));
    // The single-machine run reads the same config next to the data.
    const localDir = join(dir, 'local');
    mkdirSync(localDir);
    for (const d of ['mnist', 'fashion-mnist']) symlinkSync(join(DEMO_DATA_DIR, d), join(localDir, d));
    writeFileSync(join(localDir, 'bench.json'), JSON.stringify(CONFIG));

    const log: string[] = [];
    expect(await main(['submit', join(submitDir, 'bench.json'), '--store', db.url], (l) => log.push(l))).toBe(0);
    expect(log.join('\n')).toMatch(
      new RegExp(`${CELLS} cells; 0 already stored, 0 already queued, ${CELLS} queued now`),
    );

    const single = sh([
      'run',
      join(localDir, 'bench.json'),
      '--out',
      join(dir, 'sqlite'),
      '--no-report',
      '--threads',
      '1',
    ]);
    const names = ['w0', 'w1', 'w2'];
    const workers = names.map((name) =>
      sh([
        'worker',
        '--store',
        db.url,
        '--once',
        '--name',
        name,
        '--backend',
        'wasm',
        '--threads',
        '1',
        '--data-root',
        DEMO_DATA_DIR,
        '--work-dir',
        join(dir, name),
        '--heartbeat',
        '0.5',
        '--visibility-timeout',
        '3',
      ]),
    );
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const killed = await killMidCell(pool, 'w0', workers[0].child);
      expect(await exited(workers[0].child)).toEqual({ code: null, signal: 'SIGKILL' });
      const [r1, r2, rs] = await Promise.all([
        exited(workers[1].child),
        exited(workers[2].child),
        exited(single.child),
      ]);
      expect([r1.code, r2.code], workers[1].output() + workers[2].output()).toEqual([0, 0]);
      expect(rs.code, single.output()).toBe(0);

      // The killed worker's cell came back after its visibility timeout and a survivor did it.
      const survivors = workers[1].output() + workers[2].output();
      expect(survivors).toContain(`worker w0 stopped heartbeating: ${killed.label} goes back to the queue`);
      const rows = (
        await pool.query<{ spec_hash: string; worker: string }>(`SELECT spec_hash, worker FROM ${SCHEMA}.cells`)
      ).rows;
      const planned = (await pool.query(`SELECT spec_hash FROM ${SCHEMA}.run_cells`)).rows.map((r) => r.spec_hash);
      expect(rows).toHaveLength(CELLS);
      expect(new Set(rows.map((r) => r.spec_hash))).toEqual(new Set(planned));
      expect(['w1', 'w2']).toContain(rows.find((r) => r.spec_hash === killed.hash)!.worker);
      // Each cell was stored once: what w0 stored before dying plus what the survivors stored.
      const computed = [...survivors.matchAll(/\] (\d+) cells computed, (\d+) already stored/g)];
      expect(computed).toHaveLength(2);
      const byW0 = rows.filter((r) => r.worker === 'w0').length;
      expect(byW0 + computed.reduce((s, m) => s + Number(m[1]), 0), survivors).toBe(CELLS);
      // A cell is computed twice only when a live worker was starved of CPU past its visibility
      // timeout (as on a loaded CI machine) and its cell handed on: each such hand-over is logged.
      const falseAlarms = [...survivors.matchAll(/worker w[12] stopped heartbeating/g)].length;
      expect(
        computed.reduce((s, m) => s + Number(m[2]), 0),
        survivors,
      ).toBeLessThanOrEqual(falseAlarms);

      // The trained encoder was trained once for all workers (or, in a race, its first weights kept).
      const trained = await pool.query(`SELECT name FROM ${SCHEMA}.encoders`);
      expect(trained.rows).toEqual([{ name: 'trained' }]);

      const status = await runStatus(db.url);
      expect(status).toMatchObject({ cells: CELLS, done: CELLS, running: 0, queued: 0, failed: 0, unqueued: 0 });
      expect(Object.fromEntries(status.workers.map((w) => [w.name, w.state]))).toEqual({
        w0: 'lost',
        w1: 'stopped',
        w2: 'stopped',
      });

      // Submitting again queues nothing.
      log.length = 0;
      expect(await main(['submit', join(submitDir, 'bench.json'), '--store', db.url], (l) => log.push(l))).toBe(0);
      expect(log.join('\n')).toMatch(new RegExp(`${CELLS} already stored, 0 already queued, 0 queued now`));
    } finally {
      for (const w of [...workers, single]) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await pool.end();
    }

    const pgReport = join(dir, 'report-pg');
    const sqliteReport = join(dir, 'report-sqlite');
    expect(await main(['report', '--store', db.url, '--out', pgReport], () => {})).toBe(0);
    expect(await main(['report', '--store', join(dir, 'sqlite'), '--out', sqliteReport], () => {})).toBe(0);
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    for (const f of ['results.md', 'correlation.md', 'correlation.json'])
      expect(read(pgReport, f), f).toBe(read(sqliteReport, f));
    const numbers = (d: string) =>
      (JSON.parse(read(d, 'results.json')).cells as Record<string, unknown>[]).map(
        ({ seconds, finishedAt, ...rest }) => rest,
      );
    expect(numbers(pgReport)).toEqual(numbers(sqliteReport));
    expect(numbers(pgReport)).toHaveLength(CELLS);
  }, 120_000);

  it('a cell that keeps failing ends as failed with its error after its retries; submitting again queues it again', async () => {
    const config = validateConfig(
      {
        backend: 'wasm',
        encoders: [{ name: 'r', from: 'random', backbone: { arch: 'convnet', width: 0.25 } }],
        datasets: [{ name: 'gone', format: 'imagefolder', train: 'nowhere/train', test: 'nowhere/test' }],
        protocols: [{ kind: 'knn', k: 5 }],
        reference: { dataset: 'gone', protocol: 'knn' },
      },
      'broken config',
      mkdtempSync(join(tmpdir(), 'ssl-bench-broken-')),
    );
    expect(await submitConfig(db.url, config, { retries: 1 })).toMatchObject({ cells: 1, enqueued: 1 });
    const lines: string[] = [];
    const summary = await runWorker({
      url: db.url,
      name: 'unlucky',
      once: true,
      workDir: mkdtempSync(join(tmpdir(), 'ssl-bench-unlucky-')),
      pollSeconds: 0.1,
      log: (l) => lines.push(l),
    });
    expect(summary).toMatchObject({ computed: 0, failed: 2, interrupted: false });
    const status = await runStatus(db.url);
    expect(status).toMatchObject({ cells: 1, done: 0, queued: 0, running: 0, failed: 1 });
    expect(status.failures[0]).toMatchObject({ label: 'r × gone × knn' });
    expect(status.failures[0].message).toMatch(/dataset 'gone' train: .*nowhere/);
    expect(status.workers.find((w) => w.name === 'unlucky')).toMatchObject({ state: 'stopped', cellsFailed: 2 });
    expect(await submitConfig(db.url, config)).toMatchObject({ cells: 1, stored: 0, pending: 0, enqueued: 1 });
  });

  it('ssl-bench run --store postgresql://… submits, works the queue here, reports; a rerun reuses every cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-run-pg-'));
    const config = join(dir, 'bench.json');
    writeFileSync(
      config,
      JSON.stringify({
        backend: 'wasm',
        encoders: [{ name: 'small', from: 'random', backbone: { arch: 'convnet', width: 0.25 } }],
        datasets: [
          {
            name: 'mnist',
            format: 'imagefolder',
            train: join(DEMO_DATA_DIR, 'mnist/train'),
            test: join(DEMO_DATA_DIR, 'mnist/test'),
            perClass: { train: 10, test: 10 },
          },
        ],
        protocols: [
          { kind: 'knn', k: 5 },
          { kind: 'fewshot', ways: 3, shots: [1], queries: 2, episodes: 10 },
        ],
        reference: { dataset: 'mnist', protocol: 'knn' },
      }),
    );
    const argv = ['run', config, '--store', db.url, '--out', join(dir, 'run'), '--report', join(dir, 'report')];
    const first: string[] = [];
    expect(await main([...argv, '--threads', '1'], (l) => first.push(l))).toBe(0);
    expect(first.join('\n')).toMatch(/2 cells; 0 already stored, 2 to compute/);
    expect(first.join('\n')).toMatch(/2 cells computed, 0 already stored, 0 failed/);
    const cells = JSON.parse(readFileSync(join(dir, 'report', 'results.json'), 'utf8')).cells;
    expect(cells.map((c: { protocol: string }) => c.protocol)).toEqual(['fewshot-3way-1shot', 'knn']);
    const again: string[] = [];
    expect(await main([...argv, '--no-report'], (l) => again.push(l))).toBe(0);
    expect(again.join('\n')).toMatch(/2 cells; 2 already stored, 0 to compute/);
  });
});
