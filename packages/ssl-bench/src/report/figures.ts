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

// Accuracies a reader recognises; on a logit axis they sit closer together near 50% and spread out near 0 and 100.
const PERCENT_TICKS = [0.1, 0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9];

/** Tick marks labelled in percent, placed in the plot's (logit or plain) units. */
function percentTicks(logit: boolean, values: number[]): { value: number; label: string }[] {
  const place = (p: number) => (logit ? Math.log(p / (100 - p)) : p / 100);
  const ticks = PERCENT_TICKS.map((p) => ({ value: place(p), label: `${p}%` }));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const inside = ticks.filter((t) => t.value >= lo && t.value <= hi);
  // Too many ticks on a wide range: keep every other one.
  return inside.length > 7 ? inside.filter((_, i) => i % 2 === 0) : ticks;
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
