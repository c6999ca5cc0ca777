/**
 * Keeping README examples true. A package keeps its README example as a file
 * (`src/readme-example.ts`) that the README shows verbatim and a test runs.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi, type MockInstance } from 'vitest';

/**
 * A `describe` that checks the README shows `example` verbatim, silences and
 * records `console.log` (the example's output), then runs `body` with the spy.
 */
export function describeReadmeExample(
  readme: URL,
  example: URL,
  body: (log: MockInstance<typeof console.log>) => void,
): void {
  describe('README example', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    afterAll(() => log.mockRestore());

    it(`is the code of ${basename(example.pathname)}`, () => {
      expect(readFileSync(readme, 'utf8')).toContain(readFileSync(example, 'utf8').trim());
    });

    body(log);
  });
}

/**
 * Run the first ```ts block after `heading` in a README as a module (written
 * beside the README's package sources, imported, removed) and return what it
 * printed with console.log, one string per call (`format` joins the arguments).
 */
export async function runReadmeSection(
  readme: URL,
  heading = '## Example',
  format: (args: unknown[]) => string = (args) => args.map((a) => JSON.stringify(a)).join(' '),
): Promise<string[]> {
  const text = readFileSync(readme, 'utf8');
  const code = text.split(heading)[1]?.split('```ts\n')[1]?.split('```')[0];
  if (code === undefined) throw new Error(`${readme.pathname} has no \`\`\`ts block after '${heading}'`);
  // One scratch file per section, so test files running sections of one README in parallel never share it.
  const slug =
    heading === '## Example'
      ? ''
      : `-${heading
          .replace(/[^A-Za-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .toLowerCase()}`;
  const file = fileURLToPath(new URL(`./src/readme-example${slug}.generated.ts`, readme));
  writeFileSync(file, code);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(format(args)));
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
  return printed;
}
