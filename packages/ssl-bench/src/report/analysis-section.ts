import type { Figure } from './figures';

/** One section of the report on what the features retain: Markdown (tables, notes) and its figures. */
export interface AnalysisSection {
  heading: string;
  markdown: string;
  figures: Figure[];
}

/** A name safe as a file stem and an HTML id (encoder and dataset names are free text). */
export function figureStem(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-');
}

/** A grid of the cells of one protocol: a row per encoder, a column per dataset, `format` per cell. */
export function analysisTable<C extends { encoder: string; dataset: string }>(
  cells: C[],
  format: (c: C) => string,
): string {
  const encoders = [...new Set(cells.map((c) => c.encoder))];
  const datasets = [...new Set(cells.map((c) => c.dataset))];
  const lines = [`| encoder | ${datasets.join(' | ')} |`, `| --- | ${datasets.map(() => '---').join(' | ')} |`];
  for (const e of encoders) {
    const row = datasets.map((d) => {
      const c = cells.find((x) => x.encoder === e && x.dataset === d);
      return c ? format(c) : '–';
    });
    lines.push(`| ${e} | ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}
