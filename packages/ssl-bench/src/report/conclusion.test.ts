import { describe, expect, it } from 'vitest';
import type { CellResult } from '../results-store';
import { correlateProtocols } from './correlation';
import { conclusionMarkdown, criticalR } from './conclusion';

const cell = (encoder: string, dataset: string, value: number): CellResult => ({
  encoder,
  dataset,
  protocol: 'linear',
  metric: 'top1',
  value,
  ci95: null,
  details: {},
  specHash: 'h',
  seconds: 1,
  finishedAt: '2026-01-01T00:00:00Z',
});

describe('the conclusion in plain language', () => {
  it('criticalR matches the textbook table of critical Pearson r (two-sided, alpha 0.05)', () => {
    // Values from any table of critical values of r, e.g. df = 3: 0.878, df = 8: 0.632, df = 28: 0.361.
    expect(criticalR(5)).toBeCloseTo(0.878, 3);
    expect(criticalR(10)).toBeCloseTo(0.632, 3);
    expect(criticalR(30)).toBeCloseTo(0.361, 3);
    expect(criticalR(2)).toBeNaN();
  });

  it('names significant correlations and says which encoders beat random init', () => {
    // Five encoders whose reference accuracy orders their transfer perfectly.
    const ref = { random: 0.3, a: 0.4, b: 0.5, c: 0.6, d: 0.7 };
    const cells = Object.entries(ref).flatMap(([e, v]) => [
      cell(e, 'src', v),
      cell(e, 'dtd', v - 0.1),
      cell(e, 'pets', v / 2),
    ]);
    cells.push(cell('worse', 'src', 0.35), cell('worse', 'dtd', 0.1), cell('worse', 'pets', 0.1));
    const reference = { dataset: 'src', protocol: 'linear', explicit: {} };
    const md = conclusionMarkdown(cells, correlateProtocols(cells, reference), reference, ['random']);
    expect(md).toMatch(
      /linear, mean: with n = 6 encoders, Pearson r = 0\.9\d \(p = [\d.e-]+\), Spearman ρ = 0\.94 .* — significant at the 5% level: encoders with a higher src linear accuracy had higher mean linear accuracy over the transfer datasets\./,
    );
    expect(md).toContain(
      'd beats random init everywhere: better on 2 of 2 transfer cells, on average +30.0 points of accuracy.',
    );
    expect(md).toContain(
      'worse does not beat random init anywhere: better on 0 of 2 transfer cells, on average -7.5 points of accuracy.',
    );
  });
});
