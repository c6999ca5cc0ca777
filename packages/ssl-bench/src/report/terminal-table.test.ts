import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBenchProgress } from '../progress';
import { runBenchmark } from '../runner';
import { validateConfig } from '../config';
import { DEMO_DATA_DIR } from '../demo-config';
import { terminalSummary, textTable } from './terminal-table';

// Two random encoders on the bundled (real) MNIST and DTD subsets, three protocols: 12 cells in seconds.
const config = () =>
  validateConfig(
    {
      seed: 1,
      imageSize: 16,
      backend: 'wasm',
      encoders: [
        { name: 'convnet-a', from: 'random', backbone: { arch: 'convnet', width: 0.25 } },
        { name: 'convnet-b', from: 'random', backbone: { arch: 'convnet', width: 0.125 } },
      ],
      datasets: ['mnist', 'dtd10'].map((name) => ({
        name,
        format: 'imagefolder',
        train: `${name}/train`,
        test: `${name}/test`,
        perClass: { train: 8, test: 8 },
      })),
      protocols: [
        { kind: 'linear', cGrid: [10, 0.1] },
        { kind: 'knn', k: 5 },
        { kind: 'fewshot', ways: 3, shots: [2], queries: 3, episodes: 20 },
      ],
      reference: { dataset: 'mnist', protocol: 'linear' },
    },
    'terminal test',
    DEMO_DATA_DIR,
  );

describe('scores in the terminal', () => {
  it('textTable pads columns: names left, numbers right', () => {
    expect(
      textTable(
        ['encoder', 'knn'],
        [
          ['a', '9.5'],
          ['longer', '87.5'],
        ],
      ),
    ).toBe(['encoder   knn', '-------  ----', 'a         9.5', 'longer   87.5'].join('\n'));
  });

  it('a real run prints every cell with its score as it finishes, then one table per protocol', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ssl-bench-terminal-'));
    const written: string[] = [];
    const stream = { write: (s: string) => written.push(s), isTTY: false };
    const first = await runBenchmark({ config: config(), out, progress: createBenchProgress(12, stream) });
    const finished = written.filter((l) => l.includes('(done in'));
    expect(finished).toHaveLength(12);
    for (const c of first.cells) {
      const pct = (100 * c.value).toFixed(1);
      expect(finished.some((l) => l.includes(`${c.encoder} × ${c.dataset} × ${c.protocol}: ${pct}`))).toBe(true);
    }
    // A rerun shows the stored scores.
    written.length = 0;
    await runBenchmark({ config: config(), out, progress: createBenchProgress(12, stream) });
    expect(written.filter((l) => /: \d+\.\d.*% \(reused from the results store\)/.test(l))).toHaveLength(12);

    const summary = terminalSummary(first.cells, 'mnist').split('\n\n');
    expect(summary.map((t) => t.split('\n')[0])).toEqual([
      'linear accuracy (%)',
      'knn accuracy (%)',
      'fewshot-3way-2shot accuracy (%)',
    ]);
    const linear = summary[0].split('\n');
    expect(linear[1].split(/\s+/)).toEqual(['encoder', 'mnist', 'dtd10']);
    const cell = first.cells.find(
      (c) => c.encoder === 'convnet-a' && c.dataset === 'dtd10' && c.protocol === 'linear',
    )!;
    expect(linear[3].split(/\s+/)).toEqual(['convnet-a', expect.any(String), (100 * cell.value).toFixed(1)]);
  }, 120_000);
});
