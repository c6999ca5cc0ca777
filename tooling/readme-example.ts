/**
 * Keeping README examples true. A package keeps its README example as a file
 * (`src/readme-example.ts`) that the README shows verbatim and a test runs.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, describe, expect, it, vi, type MockInstance } from 'vitest';

/**
 * A `describe` that checks the README shows `example` verbatim, silences and
 * records `console.log` (the example's output), then runs `body` with the spy.
 */
export function describeReadmeExample(readme: URL, example: URL, body: (log: MockInstance<typeof console.log>) => void): void {
  describe('README example', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    afterAll(() => log.mockRestore());

    it(`is the code of ${basename(example.pathname)}`, () => {
      expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
    });

    body(log);
  });
}
