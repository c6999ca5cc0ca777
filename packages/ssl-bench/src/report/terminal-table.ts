import type { CellResult } from '../results-store';
import { buildTable, formatCell, protocolOrder } from './table';

/** Columns padded to their widest cell; the first column left-aligned, numbers right-aligned. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The run's results for a terminal, accuracy in %: with one dataset a single
 * table encoders × protocols; otherwise one table per protocol, encoders × datasets.
 */
export function terminalSummary(cells: CellResult[], firstDataset?: string): string {
  if (cells.length === 0) return 'no finished cell';
  const datasets = [...new Set(cells.map((c) => c.dataset))];
  const table = buildTable(cells, firstDataset);
  if (datasets.length === 1) {
    const protocols = protocolOrder(cells);
    const rows = table.encoders.map((e) => [e, ...protocols.map((p) => formatCell(table.cell(e, datasets[0], p)))]);
    return `accuracy (%) on ${datasets[0]}\n${textTable(['encoder', ...protocols], rows)}`;
  }
  return table.protocols
    .map(({ protocol, datasets: ds }) => {
      const rows = table.encoders.map((e) => [e, ...ds.map((d) => formatCell(table.cell(e, d, protocol)))]);
      return `${protocol} accuracy (%)\n${textTable(['encoder', ...ds], rows)}`;
    })
    .join('\n\n');
}
