import { existsSync, readFileSync } from 'node:fs';

/** One line of metrics.jsonl: a step, a monitor result or an event (resume with changes). */
export type MetricsRow = { step: number } & Record<string, unknown>;

/**
 * The rows of a run's metrics.jsonl. A torn last line (the process was killed
 * mid-append) is dropped with a warning; a bad line elsewhere is an error naming it.
 */
export function readMetrics(path: string, warn: (message: string) => void = console.warn): MetricsRow[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const rows: MetricsRow[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: MetricsRow | undefined;
    try {
      row = JSON.parse(line) as MetricsRow;
    } catch {
      row = undefined;
    }
    if (row && typeof row === 'object' && typeof row.step === 'number') {
      rows.push(row);
      return;
    }
    const last = lines.slice(i + 1).every((l) => l.trim() === '');
    if (!last) throw new Error(`${path}: line ${i + 1} is not a metrics record: ${line.slice(0, 80)}`);
    warn(`warning: dropped the torn last line of ${path} (line ${i + 1}, written when the run was killed)`);
  });
  return rows;
}
