/** Small helpers shared by the SVG charts (no DOM needed, so they run anywhere). */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Round for SVG coordinates: short output, sub-pixel precision kept. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * About `count` "nice" tick values (steps of 1, 2 or 5 times a power of ten)
 * covering [min, max], so the axes read like a hand-drawn figure.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rawStep = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  // The round step whose tick count is closest to the one asked for.
  const candidates = [1, 2, 5, 10].map((m) => m * magnitude);
  const step = candidates.reduce((best, s) =>
    Math.abs((max - min) / s - count) < Math.abs((max - min) / best - count) ? s : best,
  );
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    // Multiply back from an integer count to avoid accumulating 0.1 + 0.2 style drift.
    ticks.push(Number((Math.round(v / step) * step).toPrecision(12)));
  }
  return ticks;
}

/** A compact label for a number: up to 3 significant decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(2);
  return String(Number(value.toFixed(abs >= 100 ? 1 : 3)));
}

/** Pads [min, max] by a fraction of its width (or by 1 when it is a single value). */
export function paddedRange(values: readonly number[], fraction = 0.06): [number, number] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = max > min ? (max - min) * fraction : 1;
  return [min - pad, max + pad];
}
