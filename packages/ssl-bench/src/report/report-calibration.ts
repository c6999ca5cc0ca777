import { reliabilityDiagram, type ReliabilityBin } from '@selfsup/metrics-correlation';
import type { CellResult } from '../results-store';
import { type AnalysisSection, analysisTable, figureStem } from './analysis-section';

/**
 * Calibration of the linear probes (Ericsson et al.'s calibration analysis): test ECE per encoder
 * and dataset, and a reliability diagram per cell (Guo et al. 2017).
 */
export function calibrationSection(cells: CellResult[]): AnalysisSection | undefined {
  const mine = cells.filter((c) => c.protocol === 'calibration');
  if (mine.length === 0) return undefined;
  const pct = (v: unknown) => (typeof v === 'number' ? (100 * v).toFixed(1) : '–');
  const table = analysisTable(mine, (c) => `${pct(c.value)} (${pct(c.details.top1)})`);
  const figures = mine.map((c) => {
    const title = `${c.encoder} on ${c.dataset}`;
    const svg = reliabilityDiagram({
      bins: c.details.bins as ReliabilityBin[],
      ece: c.value,
      title,
      width: 260,
      height: 260,
    });
    return { name: figureStem('reliability', c.encoder, c.dataset), title: `reliability: ${title}`, svg };
  });
  const markdown = [
    'Expected calibration error (%) of each linear probe on its test split, 15 equal-width confidence bins',
    "(Guo et al. 2017), with the probe's top-1 (%) in brackets. Lower is better: in the correlation",
    'analysis a negative coefficient means that better reference accuracy goes with better calibration.',
    '',
    table,
    '',
  ].join('\n');
  return { heading: 'Calibration of the linear probes', markdown, figures };
}
