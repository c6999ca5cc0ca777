import { correlateWithReference, type CorrelationRow, type MetricTransform } from '@selfsup/metrics-correlation';
import type { CellResult } from '../results-store';
import { protocolOrder } from './table';

/** Where each encoder's reference value comes from (the paper's ImageNet accuracy). */
export interface ReferenceSource {
  dataset: string;
  protocol: string;
  /** Values given in the config, which win over measured ones. */
  explicit: Record<string, number>;
}

export interface ProtocolCorrelation {
  protocol: string;
  /** `logit` as the paper, or `none` when some accuracy is exactly 0 or 1 (logit undefined). */
  transform: MetricTransform;
  rows: CorrelationRow[];
  /** Why there are no rows (fewer than 3 encoders, a single task, ...). */
  skipped?: string;
}

export function referenceValues(cells: CellResult[], ref: ReferenceSource): Record<string, number> {
  const measured = Object.fromEntries(
    cells.filter((c) => c.dataset === ref.dataset && c.protocol === ref.protocol).map((c) => [c.encoder, c.value]),
  );
  return { ...measured, ...ref.explicit };
}

/**
 * Ericsson et al.'s analysis per protocol: the reference metric of each encoder
 * against its transfer result on every other dataset, and against their mean.
 */
export function correlateProtocols(cells: CellResult[], ref: ReferenceSource): ProtocolCorrelation[] {
  const reference = referenceValues(cells, ref);
  return protocolOrder(cells).map((protocol) => {
    const tasks: Record<string, Record<string, number>> = {};
    for (const c of cells) {
      if (c.protocol !== protocol || c.dataset === ref.dataset) continue;
      (tasks[c.dataset] ??= {})[c.encoder] = c.value;
    }
    const values = [...Object.values(reference), ...Object.values(tasks).flatMap((t) => Object.values(t))];
    const transform: MetricTransform = values.every((v) => v > 0 && v < 1) ? 'logit' : 'none';
    if (Object.keys(tasks).length === 0)
      return { protocol, transform, rows: [], skipped: 'no transfer dataset besides the reference' };
    try {
      const rows = correlateWithReference({
        reference,
        tasks,
        transform,
        methods: ['pearson', 'spearman'],
        aggregate: 'mean',
      });
      return { protocol, transform, rows };
    } catch (err) {
      return { protocol, transform, rows: [], skipped: (err as Error).message };
    }
  });
}

function fmt(v: number | undefined, digits = 3): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

function fmtP(p: number | undefined): string {
  return p === undefined ? '–' : p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}

export function correlationMarkdown(list: ProtocolCorrelation[], ref: ReferenceSource): string {
  const out = [`Reference: each encoder's ${ref.protocol} accuracy on ${ref.dataset}.`, ''];
  for (const pc of list) {
    out.push(`### ${pc.protocol} (transform: ${pc.transform})`, '');
    if (pc.skipped) {
      out.push(`Not computed: ${pc.skipped}`, '');
      continue;
    }
    out.push('| task | n | Pearson r | p | Spearman ρ | p |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of pc.rows) {
      const name = r.kind === 'aggregate' ? `**${r.task}**` : r.task;
      out.push(
        `| ${name} | ${r.n} | ${fmt(r.pearson?.coefficient)} | ${fmtP(r.pearson?.pValue)} | ${fmt(r.spearman?.coefficient)} | ${fmtP(r.spearman?.pValue)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
