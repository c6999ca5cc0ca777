import type { CellResult } from '../results-store';
import { type AnalysisSection, analysisTable, figureStem } from './analysis-section';
import { imageGridFigure } from './image-grid';

interface InversionDetails {
  shape: number[];
  originals: string;
  inversions: string;
  perceptual: number;
}

/**
 * Feature inversion (Ericsson et al.'s reconstruction analysis, here by TV-regularised input
 * optimisation, Mahendran & Vedaldi 2015): colour error and perceptual distance per encoder and
 * dataset, and the reconstructions (a row per encoder) under the originals, one figure per dataset.
 */
export async function inversionSection(cells: CellResult[]): Promise<AnalysisSection | undefined> {
  const mine = cells.filter((c) => c.protocol === 'inversion');
  if (mine.length === 0) return undefined;
  const datasets = [...new Set(mine.map((c) => c.dataset))];
  const figures = await Promise.all(
    datasets.map((dataset) => {
      const here = mine.filter((c) => c.dataset === dataset);
      const first = here[0].details as unknown as InversionDetails;
      const rows = [
        { label: 'original', base64: first.originals, shape: first.shape },
        ...here.map((c) => {
          const d = c.details as unknown as InversionDetails;
          return { label: c.encoder, base64: d.inversions, shape: d.shape };
        }),
      ];
      return imageGridFigure(figureStem('inversion', dataset), `feature inversion on ${dataset}`, rows);
    }),
  );
  const table = analysisTable(
    mine,
    (c) =>
      `${c.value.toFixed(4)} / ${typeof c.details.perceptual === 'number' ? c.details.perceptual.toFixed(3) : '–'}`,
  );
  const markdown = [
    'Colour error (mean squared difference of the per-image mean colour, [0, 1] scale) / perceptual distance',
    '(LPIPS-style distance in a fixed random ConvNet, a stand-in for LPIPS) between each test image and the',
    'image reconstructed from its features alone. Lower is closer: features that keep colour give',
    'reconstructions of the right colour.',
    '',
    table,
    '',
  ].join('\n');
  return { heading: 'Feature inversion', markdown, figures };
}
