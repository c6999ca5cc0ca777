import type { CellResult } from '../results-store';

const PROTOCOL_RANK = ['linear', 'knn', 'fewshot', 'finetune', 'calibration', 'colour', 'inversion', 'saliency'];

/** Protocols in the paper's order (linear, kNN, few-shot by shots, fine-tune), whatever the store's order. */
export function protocolOrder(cells: CellResult[]): string[] {
  const rank = (p: string) => PROTOCOL_RANK.findIndex((r) => p === r || p.startsWith(`${r}-`));
  const shots = (p: string) => Number(/(\d+)shot$/.exec(p)?.[1] ?? 0);
  return [...new Set(cells.map((c) => c.protocol))].sort(
    (a, b) => rank(a) - rank(b) || shots(a) - shots(b) || a.localeCompare(b),
  );
}

/** Results as grids, one per protocol: a row per encoder, a column per dataset. */
export interface ResultsTable {
  encoders: string[];
  protocols: { protocol: string; datasets: string[] }[];
  /** cell(encoder, dataset, protocol) */
  cell(encoder: string, dataset: string, protocol: string): CellResult | undefined;
}

export function buildTable(cells: CellResult[], firstDataset?: string): ResultsTable {
  const encoders = [...new Set(cells.map((c) => c.encoder))];
  const datasetOrder = [...new Set(cells.map((c) => c.dataset))].sort(
    (a, b) => Number(b === firstDataset) - Number(a === firstDataset),
  );
  const protocols = protocolOrder(cells).map((protocol) => ({
    protocol,
    datasets: datasetOrder.filter((d) => cells.some((c) => c.protocol === protocol && c.dataset === d)),
  }));
  const byKey = new Map(cells.map((c) => [`${c.encoder}|${c.dataset}|${c.protocol}`, c]));
  return { encoders, protocols, cell: (e, d, p) => byKey.get(`${e}|${d}|${p}`) };
}

/** An accuracy as a percentage with one decimal, ± the CI where there is one. */
export function formatCell(c: CellResult | undefined): string {
  if (!c) return '–';
  const pct = (100 * c.value).toFixed(1);
  return c.ci95 == null ? pct : `${pct} ± ${(100 * c.ci95).toFixed(1)}`;
}

export function toMarkdown(t: ResultsTable): string {
  return t.protocols
    .map(({ protocol, datasets }) => {
      const head = ['encoder', ...datasets];
      const lines = [`### ${protocol}`, '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
      for (const e of t.encoders)
        lines.push(`| ${[e, ...datasets.map((d) => formatCell(t.cell(e, d, protocol)))].join(' | ')} |`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Long format, one line per cell: what spreadsheets and pandas read best. */
export function toCsv(cells: CellResult[]): string {
  const head = ['encoder', 'dataset', 'protocol', 'metric', 'value', 'ci95', 'seconds'];
  const rows = cells.map((c) =>
    [
      c.encoder,
      c.dataset,
      c.protocol,
      c.metric,
      String(c.value),
      c.ci95 == null ? '' : String(c.ci95),
      c.seconds.toFixed(2),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[head.join(','), ...rows].join('\n')}\n`;
}
