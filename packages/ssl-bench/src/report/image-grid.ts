import sharp from 'sharp';
import type { Figure } from './figures';

/** A row of images stored as base64 bytes `[N, H, W]` or `[N, H, W, C]` (0-255), with its label. */
export interface ImageRow {
  label: string;
  base64: string;
  shape: number[];
}

const TILE = 72;
const LABEL_W = 110;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One PNG data URI per image of a row. */
async function dataUris({ base64, shape }: ImageRow): Promise<string[]> {
  const [n, h, w, c = 1] = shape;
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

/** A labelled grid of images (a row each) as a self-contained SVG with embedded PNGs. */
export async function imageGridFigure(name: string, title: string, rows: ImageRow[]): Promise<Figure> {
  const uris = await Promise.all(rows.map(dataUris));
  const cols = Math.max(...uris.map((u) => u.length));
  const width = LABEL_W + cols * (TILE + 4) + 8;
  const height = 34 + rows.length * (TILE + 4) + 4;
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
    uris[r].forEach((uri, i) => {
      parts.push(
        `<image x="${LABEL_W + i * (TILE + 4)}" y="${y}" width="${TILE}" height="${TILE}" href="${uri}" xlink:href="${uri}" style="image-rendering:pixelated"/>`,
      );
    });
  });
  parts.push('</svg>');
  return { name, title, svg: parts.join('\n') };
}
