import { heatmap, scatterPlot } from '@selfsup/metrics-correlation';
import type { CellResult } from '../results-store';
import { protocolOrder } from './table';
import type { ProtocolCorrelation } from './correlation';

export interface Figure {
  /** File stem, e.g. `scatter-linear`. */
  name: string;
  title: string;
  svg: string;
}

/**
 * Tick marks labelled in percent at round percentages (steps of 0.1 to 10 points, about
 * five in the range), placed in the plot's units: logits where the correlation uses them.
 */
function percentTicks(logit: boolean, values: number[]): { value: number; label: string }[] {
  const toPct = (v: number) => 100 * (logit ? 1 / (1 + Math.exp(-v)) : v);
  const place = (p: number) => (logit ? Math.log(p / (100 - p)) : p / 100);
  const lo = toPct(Math.min(...values));
  const hi = toPct(Math.max(...values));
  // The plot pads the range by 6% on each side; ticks slightly outside the points still show.
  const pad = Math.max((hi - lo) * 0.1, 0.5);
  const from = Math.max(lo - pad, 0.01);
  const to = Math.min(hi + pad, 99.99);
  const step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20].find((s) => (to - from) / s <= 6) ?? 20;
  const ticks: { value: number; label: string }[] = [];
  for (let p = Math.ceil(from / step) * step; p <= to; p += step) {
    const rounded = Number(p.toFixed(1));
    if (rounded > 0 && rounded < 100) ticks.push({ value: place(rounded), label: `${rounded}%` });
  }
  return ticks;
}

/** The paper's Figure 1 per protocol: reference vs mean transfer, one point per encoder, axes in percent. */
export function scatterFigures(correlations: ProtocolCorrelation[], referenceLabel: string): Figure[] {
  return correlations.flatMap((pc) => {
    const row = pc.rows.find((r) => r.kind === 'aggregate');
    if (!row) return [];
    const logit = pc.transform === 'logit';
    const scale = logit ? ', logit scale' : '';
    const title = `${pc.protocol}: mean transfer vs ${referenceLabel}`;
    const svg = scatterPlot({
      x: row.x,
      y: row.y,
      labels: row.models,
      title,
      xLabel: `${referenceLabel} accuracy (%${scale})`,
      yLabel: `mean ${pc.protocol} transfer accuracy (%${scale})`,
      xTicks: percentTicks(logit, row.x),
      yTicks: percentTicks(logit, row.y),
    });
    return [{ name: `scatter-${pc.protocol}`, title, svg }];
  });
}

/** One heatmap per protocol: encoders × datasets, accuracy in %. */
export function heatmapFigures(cells: CellResult[]): Figure[] {
  const protocols = protocolOrder(cells);
  const encoders = [...new Set(cells.map((c) => c.encoder))];
  return protocols.map((protocol) => {
    const datasets = [...new Set(cells.filter((c) => c.protocol === protocol).map((c) => c.dataset))];
    const values = encoders.map((e) =>
      datasets.map(
        (d) => cells.find((c) => c.encoder === e && c.dataset === d && c.protocol === protocol)?.value ?? null,
      ),
    );
    const title = `${protocol} accuracy (%)`;
    const svg = heatmap({
      rows: encoders,
      cols: datasets,
      values,
      title,
      format: (v) => (100 * v).toFixed(1),
      legendLabel: 'accuracy (%)',
    });
    return { name: `heatmap-${protocol}`, title, svg };
  });
}
