/**
 * Where tests find the real datasets and reference values. One setting,
 * SELFSUP_DATA (default: `../shared/data` beside the repository). Without it,
 * tests that need data are skipped with a message; with SELFSUP_REQUIRE_DATA=1
 * (set by `.ci/run`) a missing folder is an error, so CI never skips them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const DATA_DIR = resolve(process.env.SELFSUP_DATA ?? join(repoRoot, '..', 'shared', 'data'));
export const REFERENCE_DIR = resolve(process.env.SELFSUP_REFERENCE ?? join(DATA_DIR, '..', 'reference'));

const HOW_TO_GET =
  'set SELFSUP_DATA to a folder holding the project data (cifar10/, mnist/, dtd10/ as ImageFolder, ' +
  'fashion-mnist/ as IDX .gz; reference values in ../reference beside it): the maintainers share it as ' +
  '../shared/data next to the repository; Fashion-MNIST alone comes with `apt-get install dataset-fashion-mnist`';

function available(dir: string): boolean {
  if (existsSync(dir)) return true;
  if (process.env.SELFSUP_REQUIRE_DATA === '1') {
    throw new Error(`SELFSUP_REQUIRE_DATA=1 but ${dir} does not exist; ${HOW_TO_GET}`);
  }
  console.warn(`[selfsup] skipping tests on real data: ${dir} not found; ${HOW_TO_GET}`);
  return false;
}

/** Path of a dataset folder or file below SELFSUP_DATA. */
export function dataPath(...parts: string[]): string {
  return join(DATA_DIR, ...parts);
}

/** A `describe` that runs only when the real data is present. */
export function describeWithData(name: string, fn: () => void): void {
  describe.skipIf(!available(DATA_DIR))(name, fn);
}

/** A `describe` that runs only when the reference values are present. */
export function describeWithReference(name: string, fn: () => void): void {
  describe.skipIf(!available(REFERENCE_DIR))(name, fn);
}

/** Parse one of the reference JSON files (see its README for the layout). */
// biome-ignore lint/suspicious/noExplicitAny: callers name the layout they expect
export function loadReference<T = any>(file: string): T {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, file), 'utf8')) as T;
}

/** A reference tensor `{shape, data}`. */
export interface RefTensor {
  shape: number[];
  data: number[];
}
