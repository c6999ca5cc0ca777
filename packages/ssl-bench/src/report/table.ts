import type { CellResult } from '../results-store';

/** Results as a grid: one row per encoder, one column per dataset × protocol. */
export interface ResultsTable {
  encoders: string[];
  /** Column keys `dataset/protocol`, grouped by protocol. */
  columns: { dataset: string; protocol: string; key: string }[];
  /** value[encoder][column key] */
  value: Record<string, Record<string, CellResult | undefined>>;
}

export function buildTable(cells: CellResult[]): ResultsTable {
  const encoders = [...new Set(cells.map((c) => c.encoder))];
  const protocols = [...new Set(cells.map((c) => c.protocol))];
  const datasets = [...new Set(cells.map((c) => c.dataset))];
  const columns = protocols.flatMap((protocol) =>
    datasets
      .filter((dataset) => cells.some((c) => c.protocol === protocol && c.dataset === dataset))
      .map((dataset) => ({ dataset, protocol, key: `${dataset}/${protocol}` })),
  );
  const value: ResultsTable['value'] = {};
  for (const e of encoders) value[e] = {};
  for (const c of cells) value[c.encoder][`${c.dataset}/${c.protocol}`] = c;
  return { encoders, columns, value };
}

/** An accuracy as a percentage with one decimal, ± the CI where there is one. */
export function formatCell(c: CellResult | undefined): string {
  if (!c) return '–';
  const pct = (100 * c.value).toFixed(1);
  return c.ci95 == null ? pct : `${pct} ± ${(100 * c.ci95).toFixed(1)}`;
}

export function toMarkdown(t: ResultsTable): string {
  const head = ['encoder', ...t.columns.map((c) => `${c.dataset} ${c.protocol}`)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const e of t.encoders) lines.push(`| ${[e, ...t.columns.map((c) => formatCell(t.value[e][c.key]))].join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Long format, one line per cell: what spreadsheets and pandas read best. */
export function toCsv(cells: CellResult[]): string {
  const head = ['encoder', 'dataset', 'protocol', 'metric', 'value', 'ci95', 'seconds'];
  const rows = cells.map((c) =>
    [c.encoder, c.dataset, c.protocol, c.metric, String(c.value), c.ci95 == null ? '' : String(c.ci95), c.seconds.toFixed(2)]
      .map(csvField)
      .join(','),
  );
  return `${[head.join(','), ...rows].join('\n')}\n`;
}
