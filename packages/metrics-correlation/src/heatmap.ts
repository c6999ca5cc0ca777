import { escapeXml, formatNumber, px } from './svg';

export interface HeatmapOptions {
  /** Row names (e.g. encoders). */
  rows: readonly string[];
  /** Column names (e.g. datasets). */
  cols: readonly string[];
  /** values[row][col]; null or NaN marks a missing cell. */
  values: ReadonlyArray<ReadonlyArray<number | null>>;
  title?: string;
  /** Text in each cell. Default: up to 3 decimals. */
  format?: (value: number) => string;
  /** Cell size in pixels. Default 64 x 28. */
  cellWidth?: number;
  cellHeight?: number;
  /** A colour bar beside the table with the values of its ends (default true). */
  legend?: boolean;
  /** Caption of the colour bar, e.g. 'accuracy (%)'. */
  legendLabel?: string;
}

// Light to dark blue: the darker the cell, the larger the value.
const LOW: [number, number, number] = [0xf7, 0xfb, 0xff];
const HIGH: [number, number, number] = [0x08, 0x30, 0x6b];
const MISSING_FILL = '#dddddd';

function blend(t: number): { fill: string; text: string } {
  const channel = (i: number) => Math.round(LOW[i] + t * (HIGH[i] - LOW[i]));
  const hex = [0, 1, 2].map((i) => channel(i).toString(16).padStart(2, '0')).join('');
  return { fill: `#${hex}`, text: t > 0.55 ? '#ffffff' : '#000000' };
}

function checkTable(rows: readonly string[], cols: readonly string[], values: HeatmapOptions['values']): void {
  if (!Array.isArray(rows) || rows.length === 0)
    throw new Error(`heatmap: rows must be a non-empty array of names, got ${JSON.stringify(rows)}`);
  if (!Array.isArray(cols) || cols.length === 0)
    throw new Error(`heatmap: cols must be a non-empty array of names, got ${JSON.stringify(cols)}`);
  if (!Array.isArray(values) || values.length !== rows.length) {
    throw new Error(
      `heatmap: values must have one row per name in rows (${rows.length}), got ${Array.isArray(values) ? values.length : typeof values}`,
    );
  }
  values.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols.length) {
      throw new Error(
        `heatmap: values[${r}] (${rows[r]}) must have ${cols.length} entries, got ${Array.isArray(row) ? row.length : typeof row}`,
      );
    }
    row.forEach((v, c) => {
      if (v !== null && (typeof v !== 'number' || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)) {
        throw new Error(
          `heatmap: values[${r}][${c}] (${rows[r]}, ${cols[c]}) must be a finite number, NaN or null, got ${String(v)}`,
        );
      }
    });
  });
}

/**
 * A self-contained SVG heat map of a rows x columns table (encoders x
 * datasets), each cell coloured on one scale from the table's minimum to its
 * maximum and labelled with its value; missing cells are grey.
 */
export function heatmap(options: HeatmapOptions): string {
  const { rows, cols, values, title = '', format = formatNumber, cellWidth = 64, cellHeight = 28 } = options;
  const { legend = true, legendLabel = '' } = options;
  checkTable(rows, cols, values);
  const present = values.flat().filter((v): v is number => v !== null && !Number.isNaN(v));
  const min = present.length ? Math.min(...present) : 0;
  const max = present.length ? Math.max(...present) : 1;
  const longestRow = Math.max(...rows.map((r) => r.length));
  const longestCol = Math.max(...cols.map((c) => c.length));
  const left = 12 + 6.5 * longestRow;
  const top = (title ? 36 : 12) + 5 * longestCol;
  // The colour bar: 14 px wide beside the table, its end values right of it, then the rotated caption.
  const digits = 6.5 * Math.max(format(min).length, format(max).length);
  const legendWidth = legend ? 24 + 14 + 6 + digits + (legendLabel ? 18 : 0) : 0;
  const width = Math.ceil(left + cols.length * cellWidth + 12 + legendWidth);
  const height = Math.ceil(top + Math.max(rows.length * cellHeight, legend ? 90 : 0) + 12);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title)
    parts.push(`<text x="${px(width / 2)}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`);
  cols.forEach((name, c) => {
    const X = px(left + (c + 0.5) * cellWidth);
    parts.push(`<text transform="translate(${X} ${px(top - 6)}) rotate(-40)" font-size="11">${escapeXml(name)}</text>`);
  });
  rows.forEach((name, r) => {
    const Y = top + r * cellHeight;
    parts.push(
      `<text x="${px(left - 6)}" y="${px(Y + cellHeight / 2)}" text-anchor="end" dominant-baseline="middle">${escapeXml(name)}</text>`,
    );
    cols.forEach((_, c) => {
      const v = values[r][c];
      const missing = v === null || Number.isNaN(v);
      const colour = missing
        ? { fill: MISSING_FILL, text: '#555555' }
        : blend(max > min ? (v - min) / (max - min) : 0.5);
      const X = left + c * cellWidth;
      parts.push(
        `<rect x="${px(X)}" y="${px(Y)}" width="${cellWidth}" height="${cellHeight}" fill="${colour.fill}" stroke="#ffffff"/>`,
        `<text x="${px(X + cellWidth / 2)}" y="${px(Y + cellHeight / 2)}" text-anchor="middle" dominant-baseline="middle" fill="${colour.text}">${escapeXml(missing ? '–' : format(v))}</text>`,
      );
    });
  });
  if (legend)
    parts.push(
      ...colourBar(
        left + cols.length * cellWidth + 24,
        top,
        Math.max(rows.length * cellHeight, 90),
        min,
        max,
        format,
        legendLabel,
      ),
    );
  parts.push('</svg>');
  return parts.join('\n');
}

function colourBar(
  x: number,
  top: number,
  height: number,
  min: number,
  max: number,
  format: (v: number) => string,
  label: string,
): string[] {
  const id = `heatmap-scale-${Math.round(x)}-${Math.round(top)}`;
  const stop = (t: number) => `<stop offset="${t}" stop-color="${blend(t).fill}"/>`;
  return [
    `<defs><linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${[0, 0.25, 0.5, 0.75, 1].map(stop).join('')}</linearGradient></defs>`,
    `<rect class="legend" x="${px(x)}" y="${px(top)}" width="14" height="${px(height)}" fill="url(#${id})" stroke="#999999"/>`,
    `<text x="${px(x + 20)}" y="${px(top + 8)}" font-size="10">${escapeXml(format(max))}</text>`,
    `<text x="${px(x + 20)}" y="${px(top + height)}" font-size="10">${escapeXml(format(min))}</text>`,
    ...(label
      ? [
          `<text transform="translate(${px(x + 20 + 6.5 * Math.max(format(min).length, format(max).length) + 8)} ${px(top + height / 2)}) rotate(90)" text-anchor="middle" font-size="10">${escapeXml(label)}</text>`,
        ]
      : []),
  ];
}
