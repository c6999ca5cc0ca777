import { escapeXml, px } from './svg';

/** One confidence bin (lo, hi] as `expectedCalibrationError` of @selfsup/eval-transfer returns it. */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  accuracy: number;
  confidence: number;
}

export interface ReliabilityDiagramOptions {
  bins: readonly ReliabilityBin[];
  /** Printed in the corner; omit to leave it out. */
  ece?: number;
  title?: string;
  /** Pixels. Default 320 x 320. */
  width?: number;
  height?: number;
}

const MARGIN = { top: 36, right: 14, bottom: 44, left: 50 };

/**
 * A reliability diagram as in Guo et al. (ICML 2017), Figure 1: per confidence bin a bar of the
 * accuracy (blue) and the gap to the bin's mean confidence (red, hatched by transparency), with
 * the diagonal of perfect calibration. Empty bins draw nothing. Pure SVG text, no DOM.
 */
export function reliabilityDiagram(options: ReliabilityDiagramOptions): string {
  const { bins, ece, title = '', width = 320, height = 320 } = options;
  if (!Array.isArray(bins) || bins.length === 0)
    throw new Error('reliabilityDiagram: bins must be a non-empty list of { lo, hi, count, accuracy, confidence }');
  bins.forEach((b, i) => {
    for (const key of ['lo', 'hi', 'accuracy', 'confidence'] as const) {
      if (!(b?.[key] >= 0 && b[key] <= 1))
        throw new Error(`reliabilityDiagram: bins[${i}].${key} must be in [0, 1], got ${b?.[key]}`);
    }
    if (!(b.hi > b.lo)) throw new Error(`reliabilityDiagram: bins[${i}] must have hi > lo, got (${b.lo}, ${b.hi}]`);
  });
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!(value >= 120)) throw new Error(`reliabilityDiagram: ${name} must be a number >= 120 pixels, got ${value}`);
  }
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (v: number) => MARGIN.left + v * plotW;
  const sy = (v: number) => MARGIN.top + plotH - v * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${px(width / 2)}" y="22" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
  ];
  for (const b of bins) {
    if (b.count === 0) continue;
    const x = px(sx(b.lo));
    const w = px(sx(b.hi) - sx(b.lo));
    parts.push(
      `<rect x="${x}" y="${px(sy(b.accuracy))}" width="${w}" height="${px(sy(0) - sy(b.accuracy))}" fill="#1f77b4" stroke="#174a7c" stroke-width="0.5"/>`,
    );
    const [top, bottom] = [Math.max(b.accuracy, b.confidence), Math.min(b.accuracy, b.confidence)];
    if (top > bottom)
      parts.push(
        `<rect x="${x}" y="${px(sy(top))}" width="${w}" height="${px(sy(bottom) - sy(top))}" fill="#d62728" fill-opacity="0.35" stroke="#d62728" stroke-width="0.8"/>`,
      );
  }
  parts.push(
    `<line x1="${px(sx(0))}" y1="${px(sy(0))}" x2="${px(sx(1))}" y2="${px(sy(1))}" stroke="#555555" stroke-dasharray="4 3"/>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${px(plotW)}" height="${px(plotH)}" fill="none" stroke="#333333"/>`,
  );
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(
      `<text x="${px(sx(t))}" y="${px(MARGIN.top + plotH + 15)}" text-anchor="middle">${t}</text>`,
      `<text x="${MARGIN.left - 6}" y="${px(sy(t))}" text-anchor="end" dominant-baseline="middle">${t}</text>`,
    );
  }
  parts.push(
    `<text x="${px(MARGIN.left + plotW / 2)}" y="${height - 10}" text-anchor="middle" font-size="12">confidence</text>`,
    `<text transform="translate(14 ${px(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="12">accuracy</text>`,
  );
  if (ece !== undefined)
    parts.push(
      `<text x="${MARGIN.left + 8}" y="${MARGIN.top + 16}" font-size="12">ECE = ${escapeXml((100 * ece).toFixed(1))}%</text>`,
    );
  parts.push('</svg>');
  return parts.join('\n');
}
