import { studentTTwoSidedP } from '@selfsup/metrics-correlation';
import type { CellResult } from '../results-store';
import type { ProtocolCorrelation, ReferenceSource } from './correlation';

const ALPHA = 0.05;

/** The smallest |r| that is significant at `ALPHA` (two-sided t test) with n pairs; NaN below n = 3. */
export function criticalR(n: number): number {
  if (n < 3) return Number.NaN;
  const p = (r: number) => studentTTwoSidedP((r * Math.sqrt(n - 2)) / Math.sqrt(1 - r * r), n - 2);
  let lo = 0;
  let hi = 1 - 1e-12;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (p(mid) > ALPHA) lo = mid;
    else hi = mid;
  }
  return hi;
}

const fmtP = (p: number) => (p < 1e-3 ? p.toExponential(1) : p.toFixed(3));

function correlationSentences(list: ProtocolCorrelation[], ref: ReferenceSource): string[] {
  const out: string[] = [];
  for (const pc of list) {
    if (pc.skipped) {
      out.push(`${pc.protocol}: no correlation computed (${pc.skipped}).`);
      continue;
    }
    for (const r of pc.rows) {
      const pearson = r.pearson;
      if (!pearson || Number.isNaN(pearson.coefficient)) continue;
      const target =
        r.kind === 'aggregate'
          ? `mean ${pc.protocol} accuracy over the transfer datasets`
          : `${pc.protocol} accuracy on ${r.task}`;
      const significant = pearson.pValue < ALPHA;
      const sign = pearson.coefficient >= 0 ? 'higher' : 'lower';
      const crit = criticalR(r.n);
      out.push(
        `${pc.protocol}, ${r.task}: with n = ${r.n} encoders, Pearson r = ${pearson.coefficient.toFixed(2)} (p = ${fmtP(pearson.pValue)})` +
          (r.spearman ? `, Spearman ρ = ${r.spearman.coefficient.toFixed(2)} (p = ${fmtP(r.spearman.pValue)})` : '') +
          (significant
            ? ` — significant at the 5% level: encoders with a higher ${ref.dataset} ${ref.protocol} accuracy had ${sign} ${target}.`
            : ` — not significant at the 5% level${Number.isNaN(crit) ? '' : ` (with ${r.n} encoders |r| must exceed ${crit.toFixed(2)})`}: these encoders do not show that the reference predicts ${target}.`),
      );
    }
  }
  return out;
}

/** Each non-random encoder against random init: on how many cells it is better, and by how much on average. */
function baselineSentences(cells: CellResult[], randomInit: string[], ref: ReferenceSource): string[] {
  if (randomInit.length === 0)
    return ['No randomly initialised encoder was run, so there is no baseline to compare with.'];
  const key = (c: CellResult) => `${c.dataset}|${c.protocol}`;
  // The baseline of a cell is the best random-init encoder there: beating it means the training helped.
  const baseline = new Map<string, number>();
  for (const c of cells)
    if (randomInit.includes(c.encoder)) baseline.set(key(c), Math.max(baseline.get(key(c)) ?? -Infinity, c.value));
  const names = [...new Set(cells.map((c) => c.encoder))].filter((e) => !randomInit.includes(e));
  if (names.length === 0)
    return ['Every encoder here is randomly initialised: there is no pretrained encoder to compare.'];
  return names.map((name) => {
    const mine = cells.filter(
      (c) => c.encoder === name && baseline.has(key(c)) && !(c.dataset === ref.dataset && c.protocol === ref.protocol),
    );
    if (mine.length === 0) return `${name}: no cell shared with random init.`;
    const wins = mine.filter((c) => c.value > baseline.get(key(c))!).length;
    const diff = mine.reduce((s, c) => s + (c.value - baseline.get(key(c))!), 0) / mine.length;
    const verdict =
      wins === mine.length
        ? 'beats random init everywhere'
        : wins === 0
          ? 'does not beat random init anywhere'
          : wins > mine.length / 2
            ? 'beats random init on most cells'
            : 'beats random init on fewer than half the cells';
    return `${name} ${verdict}: better on ${wins} of ${mine.length} transfer cells, on average ${diff >= 0 ? '+' : ''}${(100 * diff).toFixed(1)} points of accuracy.`;
  });
}

/** The report's conclusion in plain language, as Markdown paragraphs. */
export function conclusionMarkdown(
  cells: CellResult[],
  correlations: ProtocolCorrelation[],
  ref: ReferenceSource,
  randomInit: string[] = [],
): string {
  return [
    '**Does the reference predict transfer?**',
    '',
    ...correlationSentences(correlations, ref).flatMap((s) => [s, '']),
    '**Does pretraining help?**',
    '',
    ...baselineSentences(cells, randomInit, ref).flatMap((s) => [s, '']),
  ].join('\n');
}
