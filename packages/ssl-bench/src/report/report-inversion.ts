import sharp from 'sharp';
import type { CellResult } from '../results-store';
import { type AnalysisSection, analysisTable, figureStem } from './analysis-section';
import type { Figure } from './figures';

const TILE = 72;
const LABEL_W = 110;

interface InversionDetails {
  shape: [number, number, number, number];
  originals: string;
  inversions: string;
  perceptual: number;
}

/** Images stored as base64 bytes `[N, H, W, C]` → one PNG data URI per image. */
async function dataUris(base64: string, [n, h, w, c]: InversionDetails['shape']): Promise<string[]> {
  const bytes = Buffer.from(base64, 'base64');
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const one = bytes.subarray(i * h * w * c, (i + 1) * h * w * c);
      const png = await sharp(one, { raw: { width: w, height: h, channels: c as 1 | 3 } })
        .png()
        .toBuffer();
      return `data:image/png;base64,${png.toString('base64')}`;
    }),
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Originals (top row) next to each encoder's inversions (a row each), one figure per dataset. */
async function inversionFigure(dataset: string, cells: CellResult[]): Promise<Figure> {
  const first = cells[0].details as unknown as InversionDetails;
  const rows = [
    { label: 'original', uris: await dataUris(first.originals, first.shape) },
    ...(await Promise.all(
      cells.map(async (c) => {
        const d = c.details as unknown as InversionDetails;
        return { label: c.encoder, uris: await dataUris(d.inversions, d.shape) };
      }),
    )),
  ];
  const cols = first.shape[0];
  const width = LABEL_W + cols * (TILE + 4) + 8;
  const height = 34 + rows.length * (TILE + 4) + 4;
  const title = `feature inversion on ${dataset}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
  ];
  rows.forEach((row, r) => {
    const y = 30 + r * (TILE + 4);
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + TILE / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(row.label)}</text>`,
    );
    row.uris.forEach((uri, i) => {
      parts.push(
        `<image x="${LABEL_W + i * (TILE + 4)}" y="${y}" width="${TILE}" height="${TILE}" href="${uri}" xlink:href="${uri}" style="image-rendering:pixelated"/>`,
      );
    });
  });
  parts.push('</svg>');
  return { name: figureStem('inversion', dataset), title, svg: parts.join('\n') };
}

/**
 * Feature inversion (Ericsson et al.'s reconstruction analysis, here by TV-regularised input
 * optimisation, Mahendran & Vedaldi 2015): colour error and perceptual distance per encoder and
 * dataset, and the reconstructions next to the originals.
 */
export async function inversionSection(cells: CellResult[]): Promise<AnalysisSection | undefined> {
  const mine = cells.filter((c) => c.protocol === 'inversion');
  if (mine.length === 0) return undefined;
  const datasets = [...new Set(mine.map((c) => c.dataset))];
  const figures = await Promise.all(
    datasets.map((d) =>
      inversionFigure(
        d,
        mine.filter((c) => c.dataset === d),
      ),
    ),
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
