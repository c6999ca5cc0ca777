// The fuzz loop: fast-check draws a seed and mutations, the target loads the
// result, and the invariant is checked. Every input either loads or throws an
// Error whose message names the file; never an abort, a hang, an allocation
// beyond the limit, an internal error (TypeError, RangeError, ...), a write
// outside the target, or leaked tensors.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyOp, type Mutation, mutationArbitrary } from './mutate';
import type { Sandbox, Seed, Target } from './targets';

/** Most memory (ArrayBuffers + JS heap) one input may take while it loads; seeds are a few KB. */
export const MEMORY_LIMIT_BYTES = 64 * 2 ** 20;
/** Extra wait after each input (FUZZ_SETTLE_MS) so a late error is pinned on the input that caused it. */
const SETTLE_MS = Number(process.env.FUZZ_SETTLE_MS ?? 0);
/** Longest one input may take. */
export const TIME_LIMIT_MS = 10_000;

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');
export const FINDINGS_DIR = join(import.meta.dirname, 'findings');

export interface FuzzReport {
  target: string;
  inputs: number;
  loaded: number;
  rejected: number;
  corpus: number;
  /** Invariant violations, each with the file it was saved to. */
  findings: string[];
}

export function makeSandbox(root: string, target: string): Sandbox {
  const dir = join(root, target);
  rmSync(dir, { recursive: true, force: true });
  const box = { dir, inDir: join(dir, 'in'), outDir: join(dir, 'out'), outside: join(dir, 'outside') };
  mkdirSync(box.outside, { recursive: true });
  return box;
}

function resetSandbox(box: Sandbox): void {
  rmSync(box.inDir, { recursive: true, force: true });
  rmSync(box.outDir, { recursive: true, force: true });
  mkdirSync(box.inDir, { recursive: true });
  mkdirSync(box.outDir, { recursive: true });
  // A symlink already in the extraction target (issue #16 item 4): nothing may reach `outside` through it.
  symlinkSync('../outside', join(box.outDir, 'link'));
}

/** Errors no caller could catch (an 'error' event without a listener): a crash in a user's process. */
const uncaught: string[] = [];
const onUncaught = (err: Error) => uncaught.push(err?.message ?? String(err));

const memory = () => process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;

/** Load one input and return the invariant violation, or undefined (and whether it loaded). */
export async function checkOne(
  target: Target,
  tag: string,
  bytes: Uint8Array,
  box: Sandbox,
): Promise<{ violation?: string; loaded: boolean }> {
  resetSandbox(box);
  const { path, run } = target.prepare(bytes, tag, box);
  const base = memory();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memory());
  }, 5);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), TIME_LIMIT_MS);
  });
  let outcome: unknown;
  let loaded = false;
  try {
    outcome = await Promise.race([run().then(() => 'loaded'), timeout]);
    loaded = outcome === 'loaded';
  } catch (err) {
    outcome = err;
  } finally {
    clearInterval(sampler);
    clearTimeout(timer);
  }
  // Let late stream events fire, so an error emitted after the promise settled is seen with its input.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  if (SETTLE_MS > 0) await new Promise((r) => setTimeout(r, SETTLE_MS));
  peak = Math.max(peak, memory());
  let violation: string | undefined;
  if (uncaught.length > 0) violation = `an uncaught exception after the input: ${uncaught.splice(0).join('; ')}`;
  if (violation) {
    // reported above
  } else if (outcome === 'hang') violation = `no result within ${TIME_LIMIT_MS} ms`;
  else if (!loaded) {
    const err = outcome as Error;
    if (!(err instanceof Error)) violation = `threw a non-Error: ${String(err)}`;
    else if (err.constructor !== Error && err.name !== 'ConfigError')
      violation = `an internal ${err.constructor.name} escaped: ${err.message}`;
    else if (!err.message.includes(path)) violation = `the error does not name the file: ${err.message}`;
  }
  if (!violation && peak - base > MEMORY_LIMIT_BYTES)
    violation = `took ${Math.round((peak - base) / 2 ** 20)} MiB, over the ${MEMORY_LIMIT_BYTES / 2 ** 20} MiB limit`;
  if (!violation && readdirSync(box.outside).length > 0) violation = 'wrote outside the target (through a symlink)';
  const extra = readdirSync(box.dir).filter((e) => !['in', 'out', 'outside'].includes(e));
  if (!violation && extra.length > 0) violation = `wrote outside the target: ${extra.join(', ')}`;
  violation ??= target.after?.();
  return { violation, loaded };
}

/** The input a mutation makes from the seeds (inner layer when asked and the target has one). */
export function mutate(target: Target, seeds: Seed[], m: Mutation): Seed {
  const seed = seeds[m.seed % seeds.length];
  const inner = m.inner ? target.inner?.decode(seed.bytes) : undefined;
  let bytes = inner ?? seed.bytes;
  for (const op of m.ops) bytes = applyOp(bytes, op);
  return { tag: seed.tag, bytes: inner ? target.inner!.encode(bytes, seed.bytes) : bytes };
}

/** Corpus files of a target: `corpus/<target>/<name>.<tag>`, each a past finding or a hand-made hostile file. */
export function corpusOf(target: string): Array<{ file: string } & Seed> {
  const dir = join(CORPUS_DIR, target);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => !n.endsWith('.md'));
  } catch {
    return [];
  }
  return names
    .sort()
    .map((n) => ({ file: join(dir, n), tag: n.split('.').at(-1)!, bytes: readFileSync(join(dir, n)) }));
}

/** Replay the corpus, then fuzz `runs` mutated inputs; the first violation stops the run and is saved under findings/. */
export async function fuzzTarget(target: Target, runs: number, root: string, seed?: number): Promise<FuzzReport> {
  await target.setup?.();
  process.on('uncaughtException', onUncaught);
  try {
    return await fuzzLoop(target, runs, root, seed);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
}

async function fuzzLoop(target: Target, runs: number, root: string, seed?: number): Promise<FuzzReport> {
  const box = makeSandbox(root, target.name);
  const report: FuzzReport = { target: target.name, inputs: 0, loaded: 0, rejected: 0, corpus: 0, findings: [] };
  const seeds = await target.seeds();
  const count = (loaded: boolean) => {
    report.inputs++;
    if (loaded) report.loaded++;
    else report.rejected++;
  };
  for (const entry of [...seeds.map((s) => ({ file: 'seed', ...s })), ...corpusOf(target.name)]) {
    const { violation, loaded } = await checkOne(target, entry.tag, entry.bytes, box);
    count(loaded);
    if (entry.file !== 'seed') report.corpus++;
    if (violation) report.findings.push(`${entry.file} (${entry.tag}): ${violation}`);
  }
  let last: Seed | undefined;
  const result = await fc.check(
    fc.asyncProperty(mutationArbitrary, async (m) => {
      last = mutate(target, seeds, m);
      const { violation, loaded } = await checkOne(target, last.tag, last.bytes, box);
      count(loaded);
      if (violation) throw new Error(violation);
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  if (result.failed) {
    const failing = result.counterexample ? mutate(target, seeds, result.counterexample[0]) : last!;
    const hash = createHash('sha256').update(failing.bytes).digest('hex').slice(0, 12);
    const file = join(FINDINGS_DIR, target.name, `${hash}.${failing.tag}`);
    mkdirSync(join(FINDINGS_DIR, target.name), { recursive: true });
    writeFileSync(file, failing.bytes);
    const why = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    report.findings.push(
      `${file}: ${why} (fast-check seed ${result.seed}, path ${result.counterexample ? result.counterexamplePath : '-'})`,
    );
  }
  rmSync(box.dir, { recursive: true, force: true });
  return report;
}
