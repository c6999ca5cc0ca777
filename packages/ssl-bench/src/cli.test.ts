import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from './cli';
import { DEMO_CONFIG, DEMO_DATA_DIR } from './demo-config';

const BIN = fileURLToPath(new URL('../bin/ssl-bench.js', import.meta.url));

function capture() {
  const lines: string[] = [];
  return { lines, log: (l: string) => lines.push(l) };
}

describe('ssl-bench CLI', () => {
  it('prints help for every command with exit code 0', async () => {
    for (const argv of [
      ['--help'],
      ['run', '--help'],
      ['report', '--help'],
      ['correlate', '--help'],
      ['demo', '--help'],
    ]) {
      expect(await main(argv)).toBe(0);
    }
  });

  it('rejects bad usage and bad configs with one clear message and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...DEMO_CONFIG, protocols: [{ kind: 'knn', k: 0 }] }));
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    const notdb = join(dir, 'notdb.sqlite');
    writeFileSync(notdb, 'not a database '.repeat(100));
    writeFileSync(join(dir, 'afile'), '');
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(DEMO_CONFIG));
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['run'], /run takes one config file/],
      [['run', bad], /bad.json: invalid config:\n {2}- protocols\[0\]\.k: expected an integer >= 1, got 0/],
      [['run', join(dir, 'missing.yaml')], /missing.yaml: invalid config:\n {2}- cannot read/],
      [['report', join(dir, 'nothing')], /no results store at/],
      [['demo', '--bogus'], /Unknown option '--bogus'/],
      // Issue #16: named, one line, exit 2.
      [['run', deep], /deep\.json: invalid config:\n {2}- nested deeper than 32 levels/],
      [['run', good, '--concurrency', '-1'], /--concurrency must be a positive integer, got '-1'/],
      [['run', good, '--threads', '0x2'], /--threads must be a positive integer, got '0x2'/],
      [['report', notdb], /notdb\.sqlite: not an SQLite database/],
      [['run', good, '--out', join(dir, 'afile')], /--out .*afile exists and is not a folder/],
      [
        ['run', good, '--out', join(dir, 'o'), '--report', join(dir, 'afile', 'r')],
        /--report .*afile\/r cannot be created: .*afile is not a writable folder/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { lines, log } = capture();
      expect(await main(argv, log)).toBe(2);
      expect(lines.join('\n')).toMatch(message);
    }
  });

  it('correlates any models × metrics CSV', async () => {
    const csv = join(mkdtempSync(join(tmpdir(), 'ssl-bench-csv-')), 't.csv');
    writeFileSync(csv, 'model,imagenet,pets,flowers\na,60,70,80\nb,65,72,85\nc,70,75,84\nd,75,79,90\n');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    try {
      expect(await main(['correlate', csv, '--percent'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).toMatch(/\| pets \| 4 \| 0\.99\d \|/);
    expect(out.join('')).toMatch(/\| \*\*mean\*\* \| 4 \|/);
  });
});

/** Three random ConvNets on the bundled MNIST subset, kNN and three few-shot variants: 12 quick cells. */
function writeSmallConfig(dir: string): string {
  const config = join(dir, 'bench.json');
  writeFileSync(
    config,
    JSON.stringify({
      backend: 'wasm',
      encoders: ['a', 'b', 'c'].map((name, i) => ({
        name,
        from: 'random',
        backbone: { arch: 'convnet', width: 0.25 + 0.25 * i },
      })),
      datasets: [
        {
          name: 'mnist',
          format: 'imagefolder',
          train: join(DEMO_DATA_DIR, 'mnist/train'),
          test: join(DEMO_DATA_DIR, 'mnist/test'),
        },
      ],
      protocols: [
        { kind: 'knn', k: 5 },
        { kind: 'fewshot', ways: 3, shots: [1, 2, 3], queries: 3, episodes: 30 },
      ],
      reference: { dataset: 'mnist', protocol: 'knn' },
    }),
  );
  return config;
}

function storedRows(storePath: string): { encoder: string; protocol: string; finishedAt: string }[] {
  try {
    const db = new Database(storePath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT encoder, protocol, finishedAt FROM cells ORDER BY finishedAt').all() as {
        encoder: string;
        protocol: string;
        finishedAt: string;
      }[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

describe('ssl-bench run --concurrency', () => {
  it('splits the encoders over processes that share one store, then reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-conc-'));
    const res = spawnSync(
      process.execPath,
      [
        BIN,
        'run',
        writeSmallConfig(dir),
        '--out',
        join(dir, 'run'),
        '--report',
        join(dir, 'report'),
        '--concurrency',
        '2',
      ],
      { encoding: 'utf8' },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/running 2 processes/);
    expect(res.stderr).toMatch(/0 cells computed, 12 reused/);
    const rows = storedRows(join(dir, 'run', 'results.sqlite'));
    expect(new Set(rows.map((r) => `${r.encoder}|${r.protocol}`)).size).toBe(12);
    expect(res.stderr).toMatch(/report: .*index.html/);
  }, 240_000);
});

/** PIDs of a process's children (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
};

describe('ssl-bench run on one folder at once (issue #16)', () => {
  it('kill -9 of a --concurrency 2 parent takes its shards down; a second run is refused while one holds the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-orphans-'));
    const config = writeSmallConfig(dir);
    const out = join(dir, 'run');
    const parent = spawn(process.execPath, [BIN, 'run', config, '--out', out, '--no-report', '--concurrency', '2'], {
      stdio: 'ignore',
    });
    let shards: number[] = [];
    for (let i = 0; i < 200 && shards.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      shards = childrenOf(parent.pid!);
    }
    expect(shards).toHaveLength(2);
    const second = capture();
    expect(await main(['run', config, '--out', out, '--no-report'], second.log)).toBe(2);
    expect(second.lines.join('\n')).toMatch(new RegExp(`in use by ssl-bench process ${parent.pid}`));
    parent.kill('SIGKILL');
    for (let i = 0; i < 200 && shards.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(shards.filter(isAlive)).toEqual([]);
  }, 60_000);
});

describe('ssl-bench run on a full disk (issue #16)', () => {
  it('reports the store and the problem on one line, exit 1, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-full-'));
    // A 1 KiB file-size limit: the store's first page does not fit, as on a full disk (Node ignores SIGXFSZ).
    const res = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 1; exec "$0" "$@"',
        process.execPath,
        BIN,
        'run',
        writeSmallConfig(dir),
        '--out',
        join(dir, 'run'),
        '--no-report',
      ],
      { encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toMatch(
      /^ssl-bench: results store .*results\.sqlite: (disk I\/O error|database or disk is full)$/,
    );
  });
});

describe('ssl-bench run, killed and restarted', () => {
  it('finishes on the second run without recomputing the cells the first one stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-kill-'));
    const config = writeSmallConfig(dir);
    const out = join(dir, 'run');
    const storePath = join(out, 'results.sqlite');
    const rows = () => storedRows(storePath);
    const child = spawn(process.execPath, [BIN, 'run', config, '--out', out, '--no-report'], { stdio: 'ignore' });
    const killedAfter = await new Promise<ReturnType<typeof storedRows>>((resolve, reject) => {
      const timer = setInterval(() => {
        const done = rows();
        if (done.length >= 3) {
          child.kill('SIGKILL'); // no chance to clean up: as a crash or power loss
          clearInterval(timer);
          resolve(done);
        }
      }, 100);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the first run finished before it could be killed'));
      });
    });
    expect(killedAfter.length).toBeLessThan(12);
    const second = spawnSync(process.execPath, [BIN, 'run', config, '--out', out, '--no-report'], { encoding: 'utf8' });
    expect(second.status).toBe(0);
    const [, computed, reused] = /(\d+) cells computed, (\d+) reused/.exec(second.stderr)!.map(Number);
    const all = rows();
    expect(all).toHaveLength(12);
    expect(reused).toBeGreaterThanOrEqual(killedAfter.length);
    expect(computed + reused).toBe(12);
    // The cells stored before the kill are untouched.
    for (const r of killedAfter) expect(all).toContainEqual(r);
  }, 240_000);
});
