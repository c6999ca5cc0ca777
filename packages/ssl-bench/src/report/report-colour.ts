import type { CellResult } from '../results-store';
import { type AnalysisSection, analysisTable } from './analysis-section';

/** Colour vs shape: how well a linear map of the features predicts each image's mean colour. */
export function colourSection(cells: CellResult[]): AnalysisSection | undefined {
  const mine = cells.filter((c) => c.protocol === 'colour');
  if (mine.length === 0) return undefined;
  const pct = (v: unknown) => (typeof v === 'number' ? (100 * v).toFixed(1) : '–');
  const table = analysisTable(
    mine,
    (c) => `${c.value.toFixed(3)} (${pct(c.details.top1Colour)} / ${pct(c.details.top1Gray)})`,
  );
  const markdown = [
    "Test R² of a ridge regression from the frozen features to each image's mean colour (R, G, B; 1 =",
    'colour fully kept), with linear-probe top-1 (%) on colour / grayscale images in brackets: an encoder',
    'that discards colour, as colour-jitter augmentations teach, predicts it poorly and loses little',
    'accuracy without it (Ericsson et al. 2021, §5).',
    '',
    table,
    '',
  ].join('\n');
  return { heading: 'Colour versus shape', markdown, figures: [] };
}
