import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@selfsup/runtime/node';
import { UsageError } from './cli-args';
import { readMetrics } from './metrics-file';
import { runPaths } from './run-dir';
import { trainingReportHtml } from './training-report';

export const REPORT_HELP = `Usage: selfsup-byol report <run folder> [--out <file.html>]

Writes the run's training curves (loss, learning rate, tau, collapse ratio,
monitor accuracy) as one self-contained HTML page with SVG charts, by default
<run>/training.html. Every training run also writes it when it stops.`;

/** Write `<run>/training.html` (or `out`) from the run's config.json and metrics.jsonl; returns the path. */
export async function writeTrainingReport(run: string, out?: string, warn?: (m: string) => void): Promise<string> {
  const paths = runPaths(run);
  const config = existsSync(paths.config)
    ? (JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>)
    : {};
  const file = out ?? join(paths.dir, 'training.html');
  await writeFileAtomic(file, trainingReportHtml({ run, config, rows: readMetrics(paths.metrics, warn) }));
  return file;
}

/** `selfsup-byol report <run>`. */
export async function reportCommand(argv: string[], log: (line: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${REPORT_HELP}\n`);
    return 0;
  }
  const [run, ...rest] = argv;
  if (run === undefined || run.startsWith('-'))
    throw new UsageError('report takes a run folder: selfsup-byol report <run>');
  let out: string | undefined;
  if (rest.length) {
    if (rest[0] !== '--out' || rest.length !== 2)
      throw new UsageError(`report: unexpected arguments '${rest.join(' ')}' (see selfsup-byol report --help)`);
    out = rest[1];
  }
  const paths = runPaths(run);
  if (!existsSync(paths.metrics))
    throw new UsageError(`${run} is not a selfsup-byol run folder: ${paths.metrics} is missing`);
  log(`training curves: ${await writeTrainingReport(run, out, log)}`);
  return 0;
}
