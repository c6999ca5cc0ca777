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

/** The paper's Figure 1 per protocol: reference vs mean transfer, one point per encoder. */
export function scatterFigures(correlations: ProtocolCorrelation[], referenceLabel: string): Figure[] {
  return correlations.flatMap((pc) => {
    const row = pc.rows.find((r) => r.kind === 'aggregate');
    if (!row) return [];
    const t = pc.transform === 'logit' ? 'logit ' : '';
    const title = `${pc.protocol}: mean transfer vs ${referenceLabel}`;
    const svg = scatterPlot({
      x: row.x,
      y: row.y,
      labels: row.models,
      title,
      xLabel: `${t}${referenceLabel}`,
      yLabel: `${t}mean ${pc.protocol} accuracy`,
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
    const svg = heatmap({ rows: encoders, cols: datasets, values, title, format: (v) => (100 * v).toFixed(1) });
    return { name: `heatmap-${protocol}`, title, svg };
  });
}
