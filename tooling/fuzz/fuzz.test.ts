// The fuzz harness inside the test suite: each target replays its corpus and
// fuzzes FUZZ_RUNS mutated inputs (a short run by default; `npm run fuzz` runs 10,000 each).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzTarget } from './harness';
import { TARGETS } from './targets';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe(`fuzz: every parser, ${RUNS} mutated inputs each`, () => {
  const root = mkdtempSync(join(tmpdir(), 'selfsup-fuzz-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const target of TARGETS) {
    it(
      target.name,
      async () => {
        const began = performance.now();
        const report = await fuzzTarget(target, RUNS, root, SEED);
        const seconds = ((performance.now() - began) / 1000).toFixed(1);
        console.log(
          `fuzz ${target.name}: ${report.inputs} inputs (${report.corpus} corpus files), ${report.loaded} loaded, ` +
            `${report.rejected} rejected, ${report.findings.length} findings, ${seconds} s`,
        );
        expect(report.findings).toEqual([]);
      },
      Math.max(120_000, RUNS * 100),
    );
  }
});

/**
 * Findings whose input fails only after the inputs before it (a late stream event): each
 * replays the exact fast-check sequence that found it. Findings that fail alone are corpus files.
 */
const SEQUENCE_FINDINGS = [
  {
    target: 'tar-gz',
    seed: -931978247,
    runs: 300,
    what: "a zlib error after extractTarGz had settled was an 'error' event without a listener (uncaught)",
  },
];

describe('fuzz findings, replayed', () => {
  const root = mkdtempSync(join(tmpdir(), 'selfsup-fuzz-replay-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const finding of SEQUENCE_FINDINGS) {
    it(`${finding.target} seed ${finding.seed}: ${finding.what}`, async () => {
      const target = TARGETS.find((t) => t.name === finding.target)!;
      const report = await fuzzTarget(target, finding.runs, root, finding.seed);
      expect(report.findings).toEqual([]);
    });
  }
});
