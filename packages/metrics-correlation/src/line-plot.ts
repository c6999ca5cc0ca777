import { escapeXml, formatNumber, niceTicks, paddedRange, px } from './svg';

export interface LineSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Stroke colour; default from a colour-blind-safe palette. */
  color?: string;
}

export interface LinePlotOptions {
  series: readonly LineSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Vertical dashed lines, e.g. where a run was resumed with changes. */
  markers?: readonly { x: number; label: string }[];
  /** Tick labels of the y axis; default up to 3 decimals. */
  yFormat?: (value: number) => string;
  /** Pixels. Default 560 x 320. */
  width?: number;
  height?: number;
}

// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];
const MARGIN = { top: 40, right: 24, bottom: 48, left: 70 };

/**
 * A self-contained SVG line chart (no DOM, no scripts): one or more series on
 * shared axes with nice ticks, a legend when there are several, and optional
 * vertical markers. Non-finite points break the line instead of bending it.
 */
export function linePlot(options: LinePlotOptions): string {
  const { series, title = '', xLabel = '', yLabel = '', markers = [], yFormat = formatNumber } = options;
  const { width = 560, height = 320 } = options;
  if (!Array.isArray(series) || series.length === 0) throw new Error('linePlot: series must be a non-empty array');
  series.forEach((s, i) => {
    if (!s || s.x.length !== s.y.length)
      throw new Error(`linePlot: series[${i}] (${s?.name}) must have as many x as y values`);
  });
  if (!(width >= 160) || !(height >= 120)) throw new Error(`linePlot: width/height too small: ${width} x ${height}`);
  const finite = (v: number) => Number.isFinite(v);
  const xs = series.flatMap((s) => s.x.filter(finite)).concat(markers.map((m) => m.x));
  const ys = series.flatMap((s) => s.y.filter(finite));
  const [x0, x1] = xs.length
    ? [Math.min(...xs), Math.max(...xs) > Math.min(...xs) ? Math.max(...xs) : Math.min(...xs) + 1]
    : [0, 1];
  const [y0, y1] = ys.length ? paddedRange(ys) : [0, 1];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * plotW;
  const sy = (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title)
    parts.push(`<text x="${px(width / 2)}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`);
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${px(plotW)}" height="${px(plotH)}" fill="none" stroke="#333333"/>`,
  );
  for (const t of niceTicks(x0, x1)) {
    const X = px(sx(t));
    parts.push(
      `<line x1="${X}" y1="${px(MARGIN.top + plotH)}" x2="${X}" y2="${px(MARGIN.top + plotH + 5)}" stroke="#333333"/>`,
      `<text x="${X}" y="${px(MARGIN.top + plotH + 18)}" text-anchor="middle">${escapeXml(formatNumber(t))}</text>`,
    );
  }
  for (const t of niceTicks(y0, y1)) {
    const Y = px(sy(t));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${Y}" x2="${px(MARGIN.left + plotW)}" y2="${Y}" stroke="#eeeeee"/>`,
      `<text x="${MARGIN.left - 8}" y="${Y}" text-anchor="end" dominant-baseline="middle">${escapeXml(yFormat(t))}</text>`,
    );
  }
  parts.push(
    `<text x="${px(MARGIN.left + plotW / 2)}" y="${height - 10}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(16 ${px(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`,
  );
  for (const m of markers) {
    const X = px(sx(m.x));
    parts.push(
      `<line x1="${X}" y1="${MARGIN.top}" x2="${X}" y2="${px(MARGIN.top + plotH)}" stroke="#888888" stroke-dasharray="4 3"/>`,
      `<text x="${px(sx(m.x) + 4)}" y="${MARGIN.top + 12}" font-size="10" fill="#555555">${escapeXml(m.label)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const color = escapeXml(s.color ?? PALETTE[i % PALETTE.length]);
    // A new subpath after every non-finite point, so gaps stay gaps.
    let d = '';
    let pen = 'M';
    s.x.forEach((x: number, k: number) => {
      if (!finite(x) || !finite(s.y[k])) {
        pen = 'M';
        return;
      }
      d += `${pen}${px(sx(x))} ${px(sy(s.y[k]))}`;
      pen = 'L';
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    if (s.x.length === 1 && finite(s.x[0]) && finite(s.y[0]))
      parts.push(`<circle cx="${px(sx(s.x[0]))}" cy="${px(sy(s.y[0]))}" r="3" fill="${color}"/>`);
  });
  if (series.length > 1) {
    series.forEach((s, i) => {
      const Y = MARGIN.top + 12 + 14 * i;
      const X = MARGIN.left + plotW - 130;
      const color = escapeXml(s.color ?? PALETTE[i % PALETTE.length]);
      parts.push(
        `<line x1="${X}" y1="${Y}" x2="${X + 18}" y2="${Y}" stroke="${color}" stroke-width="2"/>`,
        `<text x="${X + 24}" y="${Y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('\n');
}
