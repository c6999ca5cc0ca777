import type { EncoderSpec } from '../config-schema';
import type { CellResult } from '../results-store';

/** The protocols a verdict compares, by their mean accuracy over the datasets both encoders have. */
const VERDICT_PROTOCOLS = [
  ['linear', 'linear'],
  ['knn', 'kNN'],
] as const;

export interface MeanComparison {
  protocol: string;
  /** Datasets with a cell for both encoders (the mean runs over these). */
  datasets: string[];
  mean: number;
  baseline: number;
}

export interface SslVerdict {
  encoder: string;
  /** e.g. `BYOL (6 epochs)`. */
  label: string;
  /** Is it the longest-trained self-supervised encoder of the config? */
  longest: boolean;
  baseline: string;
  comparisons: MeanComparison[];
  /** One sentence, e.g. `BYOL (6 epochs) beats random init on mean linear (55.0 vs 53.2) and mean kNN (...)`. */
  sentence: string;
}

const pct = (v: number) => (100 * v).toFixed(1);

function compare(cells: CellResult[], encoder: string, baseline: string, protocol: string): MeanComparison | null {
  const of = (e: string) =>
    new Map(cells.filter((c) => c.encoder === e && c.protocol === protocol).map((c) => [c.dataset, c.value]));
  const [mine, base] = [of(encoder), of(baseline)];
  const datasets = [...mine.keys()].filter((d) => base.has(d)).sort();
  if (datasets.length === 0) return null;
  const mean = (m: Map<string, number>) => datasets.reduce((s, d) => s + m.get(d)!, 0) / datasets.length;
  return { protocol, datasets, mean: mean(mine), baseline: mean(base) };
}

function phrase(c: MeanComparison, name: string): string {
  return `mean ${name} (${pct(c.mean)} vs ${pct(c.baseline)})`;
}

function sentence(label: string, comparisons: MeanComparison[], names: Map<string, string>): string {
  const wins = comparisons.filter((c) => c.mean > c.baseline);
  const losses = comparisons.filter((c) => c.mean <= c.baseline);
  const list = (cs: MeanComparison[]) => cs.map((c) => phrase(c, names.get(c.protocol)!)).join(' and ');
  if (losses.length === 0) return `${label} beats random init on ${list(wins)}.`;
  if (wins.length === 0) return `${label} does not beat random init: ${list(losses)}.`;
  return `${label} beats random init on ${list(wins)} but not on ${list(losses)}.`;
}

type RandomSpec = Extract<EncoderSpec, { from: 'random' }>;

/**
 * BYOL's own starting point where the config has it: a random encoder of the same architecture
 * standardised with the BYOL encoder's pretraining data (as BYOL's inputs are); else one of the same
 * architecture; else the first.
 */
function baselineOf(e: Extract<EncoderSpec, { from: 'byol' }>, randoms: RandomSpec[]): RandomSpec | undefined {
  const sameArch = randoms.filter((r) => JSON.stringify(r.backbone) === JSON.stringify(e.backbone));
  return sameArch.find((r) => r.normalize === e.pretrain.dataset) ?? sameArch[0] ?? randoms[0];
}

/**
 * For every BYOL encoder of the config, whether it beats the random-init encoder of the same
 * architecture (its own starting point where the config has it, see `baselineOf`) on the mean linear and mean kNN accuracy over the datasets, in words, computed
 * from the results. Empty when the config has no random or no BYOL encoder, or no such cells.
 */
export function sslVerdicts(cells: CellResult[], encoders: readonly EncoderSpec[]): SslVerdict[] {
  const randoms = encoders.filter((e): e is RandomSpec => e.from === 'random');
  const byols = encoders.filter((e): e is Extract<EncoderSpec, { from: 'byol' }> => e.from === 'byol');
  const steps = (e: (typeof byols)[number]) => e.pretrain.epochs * (e.pretrain.limit ?? Number.MAX_SAFE_INTEGER);
  const longest = byols.reduce<(typeof byols)[number] | undefined>(
    (a, e) => (!a || steps(e) > steps(a) ? e : a),
    undefined,
  );
  const names = new Map<string, string>(VERDICT_PROTOCOLS);
  const verdicts: SslVerdict[] = [];
  for (const e of byols) {
    const sameArch = baselineOf(e, randoms);
    if (!sameArch) continue;
    const comparisons = VERDICT_PROTOCOLS.map(([p]) => compare(cells, e.name, sameArch.name, p)).filter(
      (c): c is MeanComparison => c !== null,
    );
    if (comparisons.length === 0) continue;
    const epochs = e.pretrain.epochs;
    const label = `${e.name} (BYOL, ${epochs} epoch${epochs === 1 ? '' : 's'})`;
    verdicts.push({
      encoder: e.name,
      label,
      longest: e === longest,
      baseline: sameArch.name,
      comparisons,
      sentence: sentence(label, comparisons, names).replace('random init', `random init (${sameArch.name})`),
    });
  }
  return verdicts;
}

/** The verdicts as a Markdown paragraph list (longest-trained first), or '' when there are none. */
export function verdictMarkdown(verdicts: SslVerdict[]): string {
  if (verdicts.length === 0) return '';
  const ordered = [...verdicts].sort((a, b) => Number(b.longest) - Number(a.longest));
  const datasets = ordered[0].comparisons[0].datasets;
  return [
    `Self-supervised vs random init (means over ${datasets.join(', ')}):`,
    '',
    ...ordered.map((v) => `${v.longest ? 'Longest-trained: ' : ''}${v.sentence}`),
    '',
  ].join('\n');
}
