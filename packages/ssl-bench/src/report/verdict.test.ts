import { describe, expect, it } from 'vitest';
import type { EncoderSpec } from '../config-schema';
import type { CellResult } from '../results-store';
import { sslVerdicts, verdictMarkdown } from './verdict';

const backbone = { arch: 'convnet', width: 0.5 } as const;
const ENCODERS: EncoderSpec[] = [
  { name: 'random', from: 'random', backbone },
  { name: 'byol-short', from: 'byol', backbone, pretrain: { dataset: 'a', epochs: 2, batchSize: 8 } },
  { name: 'byol-long', from: 'byol', backbone, pretrain: { dataset: 'a', epochs: 10, batchSize: 8 } },
  { name: 'supervised', from: 'supervised', backbone, pretrain: { dataset: 'a', epochs: 1, batchSize: 8 } },
];

function cell(encoder: string, dataset: string, protocol: string, value: number): CellResult {
  const at = '2026-12-04T00:00:00Z';
  return {
    encoder,
    dataset,
    protocol,
    metric: 'top1',
    value,
    ci95: null,
    details: {},
    specHash: '',
    seconds: 0,
    finishedAt: at,
  };
}

/** Accuracies per dataset a, b for linear and kNN. */
function cellsOf(encoder: string, linear: [number, number], knn: [number, number]): CellResult[] {
  return [
    cell(encoder, 'a', 'linear', linear[0]),
    cell(encoder, 'b', 'linear', linear[1]),
    cell(encoder, 'a', 'knn', knn[0]),
    cell(encoder, 'b', 'knn', knn[1]),
    cell(encoder, 'a', 'fewshot-5way-5shot', 0.9),
  ];
}

describe('sslVerdicts', () => {
  it('compares each BYOL encoder with random init on the mean linear and kNN accuracy, in words', () => {
    const cells = [
      ...cellsOf('random', [0.5, 0.7], [0.4, 0.6]),
      ...cellsOf('byol-short', [0.4, 0.7], [0.5, 0.6]),
      ...cellsOf('byol-long', [0.6, 0.7], [0.5, 0.6]),
      ...cellsOf('supervised', [0.9, 0.9], [0.9, 0.9]),
    ];
    const verdicts = sslVerdicts(cells, ENCODERS);
    expect(verdicts.map((v) => [v.encoder, v.longest, v.baseline])).toEqual([
      ['byol-short', false, 'random'],
      ['byol-long', true, 'random'],
    ]);
    expect(verdicts[1].comparisons).toEqual([
      { protocol: 'linear', datasets: ['a', 'b'], mean: expect.closeTo(0.65, 12), baseline: expect.closeTo(0.6, 12) },
      { protocol: 'knn', datasets: ['a', 'b'], mean: expect.closeTo(0.55, 12), baseline: expect.closeTo(0.5, 12) },
    ]);
    expect(verdicts[1].sentence).toBe(
      'byol-long (BYOL, 10 epochs) beats random init (random) on mean linear (65.0 vs 60.0) and mean kNN (55.0 vs 50.0).',
    );
    expect(verdicts[0].sentence).toBe(
      'byol-short (BYOL, 2 epochs) beats random init (random) on mean kNN (55.0 vs 50.0) but not on mean linear (55.0 vs 60.0).',
    );
    // The longest-trained first.
    expect(verdictMarkdown(verdicts).split('\n')).toEqual([
      'Self-supervised vs random init (means over a, b):',
      '',
      `Longest-trained: ${verdicts[1].sentence}`,
      verdicts[0].sentence,
      '',
    ]);
  });

  it('says so when BYOL loses on both, and gives nothing without a random or BYOL encoder', () => {
    const cells = [...cellsOf('random', [0.5, 0.7], [0.4, 0.6]), ...cellsOf('byol-long', [0.5, 0.6], [0.4, 0.5])];
    const [verdict] = sslVerdicts(cells, ENCODERS);
    expect(verdict.sentence).toBe(
      'byol-long (BYOL, 10 epochs) does not beat random init (random): mean linear (55.0 vs 60.0) and mean kNN (45.0 vs 50.0).',
    );
    expect(sslVerdicts(cells, ENCODERS.slice(1))).toEqual([]);
    expect(sslVerdicts(cells, [ENCODERS[0], ENCODERS[3]])).toEqual([]);
    expect(verdictMarkdown([])).toBe('');
  });

  it("prefers BYOL's own starting point: the random encoder standardised with its pretraining data", () => {
    const standardised = { name: 'random-std', from: 'random', backbone, normalize: 'a' } as const;
    const cells = [
      ...cellsOf('random', [0.5, 0.7], [0.4, 0.6]),
      ...cellsOf('random-std', [0.5, 0.5], [0.3, 0.3]),
      ...cellsOf('byol-long', [0.6, 0.7], [0.5, 0.6]),
    ];
    const [verdict] = sslVerdicts(cells, [ENCODERS[0], standardised, ENCODERS[2]]);
    expect(verdict.baseline).toBe('random-std');
    // Without its own start (standardised with another dataset), the first of the same architecture.
    expect(sslVerdicts(cells, [{ ...standardised, normalize: 'b' }, ENCODERS[0], ENCODERS[2]])[0].baseline).toBe(
      'random-std',
    );
  });
});
