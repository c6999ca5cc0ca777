import { saliencyOverlap } from '@selfsup/eval-transfer';
import type { CellResult } from '../results-store';
import { type AnalysisSection, analysisTable, figureStem } from './analysis-section';
import { imageGridFigure } from './image-grid';

interface SaliencyDetails {
  reference: string;
  topFraction: number;
  shape: number[];
  maps: string;
  originals: string;
}

const details = (c: CellResult) => c.details as unknown as SaliencyDetails;

/**
 * The saliency overlap of each encoder with the reference encoder of its `saliency` protocol
 * (top-k IoU of the stored maps, same images), as cells of a derived protocol `saliency-overlap`
 * that the tables and the correlation step take like any other. The reference itself is left out.
 */
export function saliencyOverlapCells(cells: CellResult[]): CellResult[] {
  const mine = cells.filter((c) => c.protocol === 'saliency');
  return mine.flatMap((c) => {
    const d = details(c);
    const ref = mine.find((r) => r.encoder === d.reference && r.dataset === c.dataset);
    if (!ref || c.encoder === d.reference || ref.details.shape?.toString() !== d.shape.toString()) return [];
    const bytes = (b64: string) => Uint8Array.from(Buffer.from(b64, 'base64'));
    const { iou } = saliencyOverlap(
      { data: bytes(d.maps), shape: d.shape },
      { data: bytes(details(ref).maps), shape: d.shape },
      { topFraction: d.topFraction },
    );
    return [
      { ...c, protocol: 'saliency-overlap', metric: 'saliencyIoU', value: iou, details: { reference: d.reference } },
    ];
  });
}

/** Saliency: overlap with the reference encoder and concentration per encoder × dataset, and the maps. */
export async function saliencySection(cells: CellResult[]): Promise<AnalysisSection | undefined> {
  const mine = cells.filter((c) => c.protocol === 'saliency');
  if (mine.length === 0) return undefined;
  const overlap = saliencyOverlapCells(cells);
  const table = analysisTable(mine, (c) => {
    const o = overlap.find((x) => x.encoder === c.encoder && x.dataset === c.dataset);
    return `${o ? o.value.toFixed(3) : c.encoder === details(c).reference ? 'ref.' : '–'} (${c.value.toFixed(3)})`;
  });
  const datasets = [...new Set(mine.map((c) => c.dataset))];
  const figures = await Promise.all(
    datasets.map((dataset) => {
      const here = mine.filter((c) => c.dataset === dataset);
      const rows = [
        { label: 'image', base64: details(here[0]).originals, shape: [...details(here[0]).shape, 3] },
        ...here.map((c) => ({ label: c.encoder, base64: details(c).maps, shape: details(c).shape })),
      ];
      return imageGridFigure(figureStem('saliency', dataset), `gradient saliency on ${dataset}`, rows);
    }),
  );
  const reference = [...new Set(mine.map((c) => details(c).reference))].join(', ');
  const fraction = details(mine[0]).topFraction;
  const markdown = [
    `Overlap of each encoder's gradient saliency with ${reference}'s on the same test images: intersection over`,
    `union of their top ${(100 * fraction).toFixed(0)}% pixels (1 = the same pixels; about ${(fraction / (2 - fraction)).toFixed(2)} by chance),`,
    "a stand-in for the paper's attention analysis without human attention data. In brackets: the share of",
    'saliency in those top pixels (how concentrated it is).',
    '',
    table,
    '',
  ].join('\n');
  return { heading: 'Saliency', markdown, figures };
}
