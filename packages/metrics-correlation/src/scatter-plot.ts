import { pearsonCoefficient } from './pearson';
import { spearmanCoefficient } from './spearman';
import { escapeXml, formatNumber, niceTicks, paddedRange, px } from './svg';
import { checkPairedSamples } from './validate';

export interface ScatterPlotOptions {
  x: readonly number[];
  y: readonly number[];
  /** One label per point (e.g. model names), drawn beside it. */
  labels?: readonly string[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels. Default 560 x 420. */
  width?: number;
  height?: number;
  /** Fill of the points. Default '#1f77b4'. */
  pointColor?: string;
  /** Stroke of the least-squares line. Default '#d62728'. */
  lineColor?: string;
  /** Tick positions (in data units) with their labels, e.g. percentages on logit axes; default nice ticks. */
  xTicks?: readonly { value: number; label: string }[];
  yTicks?: readonly { value: number; label: string }[];
}

const MARGIN = { top: 44, right: 24, bottom: 52, left: 64 };

function leastSquares(x: readonly number[], y: readonly number[]): { slope: number; intercept: number } {
  const meanX = x.reduce((a, b) => a + b, 0) / x.length;
  const meanY = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - meanX) * (y[i] - meanY);
    sxx += (x[i] - meanX) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/**
 * A self-contained SVG scatter plot of one task against the reference, like
 * Figure 1 of Ericsson et al.: labelled points, the least-squares line and
 * Pearson's r and Spearman's rho in the title.
 */
export function scatterPlot(options: ScatterPlotOptions): string {
  const { x, y, labels, title = '', xLabel = '', yLabel = '' } = options;
  const { width = 560, height = 420, pointColor = '#1f77b4', lineColor = '#d62728' } = options;
  checkPairedSamples('scatterPlot', x, y, { labels });
  if (labels !== undefined && labels.length !== x.length) {
    throw new Error(`scatterPlot: labels must have one entry per point (${x.length}), got ${labels.length}`);
  }
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!(value >= 160)) throw new Error(`scatterPlot: ${name} must be a number >= 160 pixels, got ${value}`);
  }
  const [x0, x1] = paddedRange(x);
  const [y0, y1] = paddedRange(y);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * plotW;
  const sy = (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0)) * plotH;

  const r = pearsonCoefficient(x, y);
  const rho = spearmanCoefficient(x, y);
  const heading = `${title ? `${title}: ` : ''}r = ${r.toFixed(2)}, ρ = ${rho.toFixed(2)}`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${px(width / 2)}" y="24" text-anchor="middle" font-size="14">${escapeXml(heading)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${px(plotW)}" height="${px(plotH)}" fill="none" stroke="#333333"/>`,
  ];
  const ticks = (given: ScatterPlotOptions['xTicks'], lo: number, hi: number) =>
    (given ?? niceTicks(lo, hi).map((value) => ({ value, label: formatNumber(value) }))).filter(
      (t) => t.value >= lo && t.value <= hi,
    );
  for (const t of ticks(options.xTicks, x0, x1)) {
    const X = px(sx(t.value));
    parts.push(
      `<line x1="${X}" y1="${px(MARGIN.top + plotH)}" x2="${X}" y2="${px(MARGIN.top + plotH + 5)}" stroke="#333333"/>`,
      `<text x="${X}" y="${px(MARGIN.top + plotH + 18)}" text-anchor="middle">${escapeXml(t.label)}</text>`,
    );
  }
  for (const t of ticks(options.yTicks, y0, y1)) {
    const Y = px(sy(t.value));
    parts.push(
      `<line x1="${MARGIN.left - 5}" y1="${Y}" x2="${MARGIN.left}" y2="${Y}" stroke="#333333"/>`,
      `<text x="${MARGIN.left - 8}" y="${Y}" text-anchor="end" dominant-baseline="middle">${escapeXml(t.label)}</text>`,
    );
  }
  parts.push(
    `<text x="${px(MARGIN.left + plotW / 2)}" y="${height - 12}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(16 ${px(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`,
  );
  const { slope, intercept } = leastSquares(x, y);
  // The line spans the padded x range; clip it so it never crosses the axes.
  parts.push(
    `<defs><clipPath id="plot-area"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${px(plotW)}" height="${px(plotH)}"/></clipPath></defs>`,
    `<line x1="${px(sx(x0))}" y1="${px(sy(slope * x0 + intercept))}" x2="${px(sx(x1))}" y2="${px(sy(slope * x1 + intercept))}" stroke="${escapeXml(lineColor)}" stroke-width="1.5" clip-path="url(#plot-area)"/>`,
  );
  for (let i = 0; i < x.length; i++) {
    const X = sx(x[i]);
    const Y = sy(y[i]);
    parts.push(`<circle cx="${px(X)}" cy="${px(Y)}" r="4.5" fill="${escapeXml(pointColor)}"/>`);
    // Labels in the right half of the plot sit left of their point, so they never run off the canvas.
    const right = X > MARGIN.left + plotW / 2;
    if (labels)
      parts.push(
        `<text x="${px(right ? X - 7 : X + 7)}" y="${px(Y - 6)}" font-size="10"${right ? ' text-anchor="end"' : ''}>${escapeXml(labels[i])}</text>`,
      );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
