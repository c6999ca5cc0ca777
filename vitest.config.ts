import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = readdirSync(`${root}packages`, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
// Examples with tests of their own (they run the built packages, like a user would).
const examples = readdirSync(`${root}examples`, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(`${root}examples/${d.name}`).some((f) => /\.test\.ts$/.test(f)))
  .map((d) => d.name);

// Tests run against the sources of sibling packages, so a change in one package
// is seen by the others' tests without a rebuild. (`npm test` still builds and
// typechecks every package first.)
const alias = [
  { find: /^@selfsup\/([a-z-]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2.ts` },
  { find: /^@selfsup\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
];

export default defineConfig({
  resolve: { alias },
  test: {
    // tfjs keeps one global engine per process: every test file gets its own.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    projects: [
      ...packages.map((name) => ({
        extends: true,
        test: { name, root: `${root}packages/${name}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      })),
      // The fuzz harness (tooling/fuzz): a short run here, `npm run fuzz` for the long one.
      { extends: true, test: { name: 'fuzz', root: `${root}tooling/fuzz`, include: ['*.test.ts'] } },
      ...examples.map((name) => ({
        extends: true,
        test: { name: `example-${name}`, root: `${root}examples/${name}`, include: ['*.test.ts'] },
      })),
    ],
  },
});
