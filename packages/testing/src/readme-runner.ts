import { readFileSync } from 'node:fs';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

/**
 * Run the ```ts code blocks of a README, in order, as one async function, so the
 * README cannot drift from the code. Import lines are resolved from `modules`
 * (`import { a, b } from 'x'` and `import * as x from 'x'`); what the example
 * prints with console.log is returned, one string per call.
 */
export async function runReadmeExamples(
  readmePath: URL,
  modules: Record<string, Record<string, unknown>>,
): Promise<string[]> {
  const readme = readFileSync(readmePath, 'utf8');
  const code = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
  const names: string[] = [];
  const values: unknown[] = [];
  const body = code.replace(/^import (.+) from '([^']+)';$/gm, (_line, what: string, from: string) => {
    const mod = modules[from];
    if (!mod) throw new Error(`README imports '${from}', which the test does not provide`);
    const star = /^\* as (\w+)$/.exec(what.trim());
    if (star) {
      names.push(star[1]);
      values.push(mod);
    } else {
      for (const name of what
        .replace(/[{}]/g, '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        if (!(name in mod)) throw new Error(`README imports '${name}' from '${from}', which does not export it`);
        names.push(name);
        values.push(mod[name]);
      }
    }
    return '';
  });
  const printed: string[] = [];
  const console = {
    log: (...args: unknown[]) =>
      printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
  };
  await new AsyncFunction('console', ...names, body)(console, ...values);
  return printed;
}
