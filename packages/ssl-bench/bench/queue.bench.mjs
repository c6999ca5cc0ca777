// What the PostgreSQL queue costs per cell: N cells whose compute is nearly nothing (tiny
// random ConvNets, 2 few-shot episodes on a few bundled MNIST images), taken, computed, stored
// and completed by workers in this process; the time per cell is an upper bound on the queue's
// cost. Needs SELFSUP_PG_URL (a superuser URL; a temporary database is created and dropped).
// Prints one JSON line per measurement.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEMO_DATA_DIR, validateConfig } from '@selfsup/ssl-bench';
import { runWorker, submitConfig } from '@selfsup/ssl-bench/pg';
import { report } from '../../../tooling/bench.mjs';

const admin = process.env.SELFSUP_PG_URL;
if (!admin) {
  console.error('queue.bench: SELFSUP_PG_URL is not set; skipped');
  process.exit(0);
}

async function onAdmin(sql) {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** 20 random encoders × MNIST (20 + 120 images) × (kNN + 10 few-shot variants) = 220 cells of almost no compute. */
const config = validateConfig(
  {
    backend: 'wasm',
    encoders: Array.from({ length: 20 }, (_, i) => ({
      name: `e${i}`,
      from: 'random',
      backbone: { arch: 'convnet', width: 0.25 },
    })),
    datasets: [
      {
        name: 'mnist',
        format: 'imagefolder',
        train: 'mnist/train',
        test: 'mnist/test',
        perClass: { train: 2, test: 12 },
      },
    ],
    protocols: [
      { kind: 'knn', k: 1 },
      { kind: 'fewshot', ways: 3, shots: Array.from({ length: 10 }, (_, i) => i + 1), queries: 1, episodes: 2 },
    ],
    reference: { dataset: 'mnist', protocol: 'knn' },
  },
  'queue bench',
  DEMO_DATA_DIR,
);

for (const workers of [1, 4]) {
  const name = `ssl_bench_queue_bench_${randomBytes(4).toString('hex')}`;
  await onAdmin(`CREATE DATABASE "${name}"`);
  const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
  try {
    let began = performance.now();
    const submitted = await submitConfig(url, config);
    const submitSeconds = (performance.now() - began) / 1000;
    began = performance.now();
    const summaries = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        runWorker({
          url,
          name: `bench-${i}`,
          once: true,
          pollSeconds: 0.05,
          wasmThreads: 1,
          workDir: mkdtempSync(join(tmpdir(), 'ssl-bench-queue-bench-')),
          log: () => {},
        }),
      ),
    );
    const seconds = (performance.now() - began) / 1000;
    const jobs = summaries.reduce((s, w) => s + w.computed, 0);
    report({
      bench: 'ssl-bench queue: take, compute (almost nothing), store + complete a cell',
      cells: submitted.enqueued,
      jobs,
      workers,
      submitCellsPerSecond: Math.round(submitted.enqueued / submitSeconds),
      msPerCellPerWorker: +((seconds * 1000 * workers) / jobs).toFixed(1),
      cellsPerSecond: Math.round(jobs / seconds),
    });
  } finally {
    await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
