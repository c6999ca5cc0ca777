import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { correlateWithReference, type MetricTransform } from '@selfsup/metrics-correlation';
import { outputFolderProblem, stopOnSignals } from '@selfsup/runtime/node';
import { isPostgresUrl, openResultsStore, StoreError } from './cell-store';
import { runOnPostgres, SCALE_OUT_HELP, statusCommand, submitCommand, workerCommand } from './cli-scale-out';
import { ConfigError, loadConfig } from './config';
import { checkConfigFiles } from './check-config-files';
import { demoConfig } from './demo-config';
import { correlationMarkdown } from './report/correlation';
import { writeReport } from './report/write-report';
import { lockRunFolder } from './run-lock';
import { runBenchmark } from './runner';
import type { BenchConfig } from './config-schema';
import { parseCsvTable } from './csv-table';

// One UsageError for both CLIs (a problem with what the user typed or pointed at: one line, exit code 2).
import { type CommandFlags, parseCommandFlags, positiveIntegerFlag, UsageError } from '@selfsup/byol/node';
import { evalCommand, EVAL_HELP } from './eval-command';
import { terminalSummary } from './report/terminal-table';
import { isAnalysisProtocol } from './config-analysis';

export { UsageError };

const HELP: Record<string, string> = {
  main: `ssl-bench — how well do self-supervised encoders transfer? (Ericsson et al., CVPR 2021)

Usage: ssl-bench <command> [options]

Commands:
  demo                 pretrain encoders on bundled data, evaluate transfer, write the report (the main job)
  eval                 one encoder's linear, kNN and few-shot accuracy on a labelled folder (no config)
  run <config>         run a benchmark config (JSON or YAML): encoders × datasets × protocols
  report <results>     write the report from a results store (results.sqlite, its run folder, or --store <url>)
  submit <config>      queue a config's cells in a PostgreSQL store for workers on any machine
  worker               compute queued cells from a PostgreSQL store (run one per GPU / machine)
  status               a PostgreSQL store's run: cells done, running, queued, failed; its workers
  correlate <csv>      correlate a reference column with every other column of a models × metrics table

Run 'ssl-bench <command> --help' for a command's options.`,
  demo: `Usage: ssl-bench demo [--out <dir>] [--report <dir>] [--concurrency <n>] [--threads <n>]

Pretrains a random, three BYOL and one supervised ConvNet on a bundled CIFAR-10
subset, takes each one's CIFAR-10 linear accuracy as the reference, measures
transfer to MNIST, Fashion-MNIST and DTD (linear, kNN, 5-way few-shot) and
writes the correlation report. Interrupted runs resume where they stopped.

Options:
  --out <dir>          run folder: results store, feature cache, pretraining runs (default: ssl-bench-run)
  --report <dir>       report folder (default: ssl-bench-report)
  --concurrency <n>    run n processes at once, each on a share of the encoders (default 1)
  --threads <n>        wasm backend threads per process (default: cores / concurrency)
  --store <url>        use a PostgreSQL store (postgresql://…) instead of <out>/results.sqlite
  -h, --help           this help`,
  eval: EVAL_HELP,
  run: `Usage: ssl-bench run <config.yaml|config.json> [--out <dir>] [--report <dir>] [--concurrency <n>] [--threads <n>]

Runs every cell of encoders × datasets × protocols in the config, storing each
finished cell at once in <out>/results.sqlite; a rerun skips finished cells.

Options:
  --out <dir>          run folder (default: ssl-bench-run)
  --report <dir>       also write the report there when the run finishes (default: ssl-bench-report)
  --no-report          do not write the report
  --concurrency <n>    run n processes at once, each on a share of the encoders (default 1);
                       they share the results store, so cells never run twice
  --threads <n>        wasm backend threads per process (default: cores / concurrency);
                       results do not depend on it
  --shard <i>/<n>      run only encoders whose index modulo n is i (what --concurrency starts)
  --store <url>        use a PostgreSQL store instead (postgresql://…): submit the config, work its
                       queue with --concurrency local workers, then report (see ssl-bench worker)
  -h, --help           this help`,
  report: `Usage: ssl-bench report <results.sqlite|run folder> [--out <dir>] [--title <text>]
       ssl-bench report --store <results.sqlite|postgresql://…> [--run <id>] [--out <dir>] [--title <text>]

Writes results.md/.csv/.json, correlation.md/.json, figures/*.svg|png and index.html.

Options:
  --store <path|url>   the results store: a SQLite file (or its run folder) or a PostgreSQL URL
  --run <id>           PostgreSQL: the run to report (default: the latest submitted)
  --out <dir>          report folder (default: ssl-bench-report)
  --title <text>       page title (default: ssl-bench transfer report)
  -h, --help           this help`,
  correlate: `Usage: ssl-bench correlate <table.csv> [--reference <column>] [--transform logit|negate|none] [--percent]

The CSV has a header row, the model name in the first column and one metric per
other column. Prints Pearson and Spearman (with p-values) of the reference column
against every other column and against their mean, as in Ericsson et al.

Options:
  --reference <column>   the reference column (default: the second column)
  --transform <t>        logit (default; accuracies in (0, 1)), negate (errors), none
  --percent              values are percentages (divided by 100 before logit)
  -h, --help             this help`,
  ...SCALE_OUT_HELP,
};

const RUN_FLAGS: CommandFlags = {
  out: { type: 'string' },
  report: { type: 'string' },
  'no-report': { type: 'boolean' },
  concurrency: { type: 'string' },
  threads: { type: 'string' },
  shard: { type: 'string' },
  store: { type: 'string' },
};

const WORKER_FLAGS: CommandFlags = {
  store: { type: 'string' },
  once: { type: 'boolean' },
  run: { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  'data-root': { type: 'string', multiple: true },
  name: { type: 'string' },
  'work-dir': { type: 'string' },
  heartbeat: { type: 'string' },
  'visibility-timeout': { type: 'string' },
};

/** The flags of one ssl-bench command (positionals allowed: the config, the store). */
function parse(argv: string[], options: CommandFlags) {
  return parseCommandFlags(argv, options, 'ssl-bench --help', { positionals: true });
}

export const BIN = fileURLToPath(new URL('../bin/ssl-bench.js', import.meta.url));

function parseShard(value: unknown): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  if (!m || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard must be i/n with 0 <= i < n, got '${value}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** Run `n` shard processes of the same command (each a share of the encoders) and wait for all. */
async function runShards(
  command: string[],
  out: string,
  n: number,
  threads: number,
  log: (l: string) => void,
): Promise<number> {
  log(`running ${n} processes, each on a share of the encoders`);
  const codes = await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<number>((done) => {
          // The IPC channel closes when this process dies, even by kill -9: the shards then stop (see runConfig).
          const child = spawn(
            process.execPath,
            [BIN, ...command, '--out', out, '--no-report', '--shard', `${i}/${n}`, '--threads', String(threads)],
            { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
          );
          child.on('exit', (code, signal) => done(code ?? (signal ? 130 : 1)));
        }),
    ),
  );
  return codes.find((c) => c !== 0) ?? 0;
}

async function runConfig(
  config: BenchConfig,
  values: Record<string, unknown>,
  log: (l: string) => void,
  command: string[],
): Promise<number> {
  const out = resolve(String(values.out ?? 'ssl-bench-run'));
  const concurrency = positiveIntegerFlag('concurrency', values.concurrency, 1);
  // Processes × threads = cores: more only makes them wait for each other.
  const threads = positiveIntegerFlag(
    'threads',
    values.threads,
    Math.max(1, Math.floor(availableParallelism() / concurrency)),
  );
  if (values.store !== undefined)
    return runOnPostgres(config, command[1] ?? command[0], values, concurrency, threads, log);
  const shard = parseShard(values.shard);
  for (const [flag, path] of [
    ['--out', out],
    ['--report', values['no-report'] || shard ? undefined : resolve(String(values.report ?? 'ssl-bench-report'))],
  ] as const) {
    const problem = path && outputFolderProblem(path, `${flag} ${path}`);
    if (problem) throw new UsageError(problem);
  }
  if (!shard) {
    // Every path the config names is checked before the first cell runs (shards: by their parent).
    const { problems, warnings } = checkConfigFiles(config);
    if (problems.length) throw new ConfigError(command[1] ?? command[0], problems);
    for (const w of warnings) log(`warning: ${w}`);
  }
  if (shard && process.channel) {
    // Started by runShards: stop when the parent is gone (the store keeps every finished cell).
    process.channel.unref();
    process.once('disconnect', () => {
      log(`shard ${shard.index}/${shard.count}: parent process gone, stopping`);
      process.exit(130);
    });
  }
  let release: () => void;
  try {
    release = lockRunFolder(out, shard && process.channel ? process.ppid : undefined);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  try {
    return await runLocked(config, values, log, command, { out, concurrency, threads, shard });
  } finally {
    release();
  }
}

async function runLocked(
  config: BenchConfig,
  values: Record<string, unknown>,
  log: (l: string) => void,
  command: string[],
  {
    out,
    concurrency,
    threads,
    shard,
  }: { out: string; concurrency: number; threads: number; shard?: { index: number; count: number } },
): Promise<number> {
  if (concurrency > 1 && !shard) {
    const code = await runShards(command, out, concurrency, threads, log);
    if (code !== 0) return code;
  }
  const stop = stopOnSignals({
    onFirst: (signal) => log(`\n${signal}: stopping after the current cell (finished cells are saved)`),
  });
  try {
    // After shard processes, this pass only collects their stored cells (nothing left to compute).
    const summary = await runBenchmark({ config, out, signal: stop.signal, shard, wasmThreads: threads });
    log(`${summary.computed} cells computed, ${summary.reused} reused; results in ${summary.storePath}`);
    if (!shard) {
      const accuracies = summary.cells.filter((c) => !isAnalysisProtocol(c.protocol));
      process.stdout.write(`${terminalSummary(accuracies, config.reference.dataset)}\n`);
    }
    if (summary.interrupted) return stop.exitCode;
    if (values['no-report'] || shard) return 0;
    const report = await writeReport({
      cells: summary.cells,
      reference: summary.reference,
      context: summary.context,
      outDir: resolve(String(values.report ?? 'ssl-bench-report')),
    });
    for (const v of report.verdicts) log(v.sentence);
    log(`report: ${report.index}`);
    return 0;
  } finally {
    stop.dispose();
  }
}

async function report(argv: string[], log: (l: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: 'string' },
    title: { type: 'string' },
    store: { type: 'string' },
    run: { type: 'string' },
  });
  if (values.help) return help('report');
  if (positionals.length + (values.store === undefined ? 0 : 1) !== 1)
    throw new UsageError('report takes one results store (results.sqlite, its run folder, or --store <path|url>)');
  let location = String(values.store ?? positionals[0]);
  if (!isPostgresUrl(location)) {
    if (values.run !== undefined) throw new UsageError('--run applies to a PostgreSQL store only');
    location = resolve(location);
    if (existsSync(location) && statSync(location).isDirectory()) location = join(location, 'results.sqlite');
    if (!existsSync(location)) throw new UsageError(`no results store at ${location}`);
  }
  const outDir = resolve(String(values.out ?? 'ssl-bench-report'));
  const problem = outputFolderProblem(outDir, `--out ${outDir}`);
  if (problem) throw new UsageError(problem);
  let store: Awaited<ReturnType<typeof openResultsStore>>;
  try {
    store = await openResultsStore(location, { run: values.run as string | undefined, readOnly: true });
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new UsageError((err as Error).message);
  }
  try {
    const reference = await store.reference();
    if (!reference)
      throw new UsageError(`${store.location} has no reference metadata (was it written by ssl-bench run?)`);
    const written = await writeReport({
      cells: await store.cells(),
      reference,
      context: await store.context(),
      outDir,
      title: values.title as string | undefined,
    });
    for (const v of written.verdicts) log(v.sentence);
    log(`report: ${written.index}`);
    return 0;
  } finally {
    await store.close();
  }
}

function correlate(argv: string[], out: (l: string) => void): number {
  const { values, positionals } = parse(argv, {
    reference: { type: 'string' },
    transform: { type: 'string' },
    percent: { type: 'boolean' },
  });
  if (values.help) return help('correlate');
  if (positionals.length !== 1) throw new UsageError('correlate takes one CSV file');
  if (!existsSync(positionals[0])) throw new UsageError(`no such file: ${positionals[0]}`);
  const transform = (values.transform ?? 'logit') as MetricTransform;
  if (!['logit', 'negate', 'none'].includes(transform))
    throw new UsageError(`--transform must be logit, negate or none, got '${transform}'`);
  let table: ReturnType<typeof parseCsvTable>;
  try {
    table = parseCsvTable(readFileSync(positionals[0], 'utf8'));
  } catch (err) {
    throw new UsageError(`${positionals[0]}: ${(err as Error).message}`);
  }
  const refColumn = (values.reference as string | undefined) ?? table.columns[0];
  if (!table.columns.includes(refColumn))
    throw new UsageError(`--reference '${refColumn}' is not a column (${table.columns.join(', ')})`);
  const tasks = Object.fromEntries(table.columns.filter((c) => c !== refColumn).map((c) => [c, table.values[c]]));
  const rows = correlateWithReference({
    reference: table.values[refColumn],
    tasks,
    transform,
    percent: Boolean(values.percent),
    aggregate: 'mean',
  });
  out(
    correlationMarkdown([{ protocol: 'table', transform, rows }], {
      dataset: refColumn,
      protocol: 'column',
      explicit: {},
    }),
  );
  return 0;
}

function help(command: string): number {
  process.stdout.write(`${HELP[command]}\n`);
  return 0;
}

/** `ssl-bench <command>`; resolves to the exit code. */
export async function main(
  argv: string[],
  log: (l: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
        return help('main');
      case 'demo': {
        const { values, positionals } = parse(rest, RUN_FLAGS);
        if (values.help) return help('demo');
        if (positionals.length) throw new UsageError(`demo takes no arguments, got '${positionals[0]}'`);
        return await runConfig(demoConfig(), values, log, ['demo']);
      }
      case 'run': {
        const { values, positionals } = parse(rest, RUN_FLAGS);
        if (values.help) return help('run');
        if (positionals.length !== 1) throw new UsageError('run takes one config file (JSON or YAML)');
        return await runConfig(loadConfig(positionals[0]), values, log, ['run', resolve(positionals[0])]);
      }
      case 'eval':
        return await evalCommand(rest, log);
      case 'report':
        return await report(rest, log);
      case 'correlate':
        return correlate(rest, (l) => process.stdout.write(`${l}\n`));
      case 'submit': {
        const { values, positionals } = parse(rest, { store: { type: 'string' }, retries: { type: 'string' } });
        if (values.help) return help('submit');
        if (positionals.length !== 1) throw new UsageError('submit takes one config file (JSON or YAML)');
        return await submitCommand(positionals[0], loadConfig(positionals[0]), values, log);
      }
      case 'worker': {
        const { values, positionals } = parse(rest, WORKER_FLAGS);
        if (values.help) return help('worker');
        if (positionals.length) throw new UsageError(`worker takes no arguments, got '${positionals[0]}'`);
        return await workerCommand(values, log);
      }
      case 'status': {
        const { values, positionals } = parse(rest, {
          store: { type: 'string' },
          run: { type: 'string' },
          json: { type: 'boolean' },
        });
        if (values.help) return help('status');
        if (positionals.length) throw new UsageError(`status takes no arguments, got '${positionals[0]}'`);
        return await statusCommand(values);
      }
      default:
        throw new UsageError(`unknown command '${command}' (see ssl-bench --help)`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      log(`ssl-bench: ${err.message}`);
      return 2;
    }
    if (err instanceof StoreError) {
      log(`ssl-bench: ${err.message}`);
      return 1;
    }
    // A file-system or database failure (disk full, a folder removed mid-run) is reported in one
    // line naming the file; only an unexpected error (a bug) shows its stack.
    const code = String((err as NodeJS.ErrnoException).code ?? '');
    log(`ssl-bench: ${/^(E[A-Z]+|SQLITE_)/.test(code) ? (err as Error).message : ((err as Error).stack ?? err)}`);
    return 1;
  }
}
