// For the examples' tests: run an example script as a user would (built packages, STEPS env)
// at a tiny size, and read back the losses it prints.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TINY = ['--image-size', '16', '--widths', '8,16', '--batch-size', '16'];

export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const out = execFileSync(process.execPath, [path, ...TINY, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const losses = [...out.matchAll(/^step (\d+) loss (-?[\d.]+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  return { out, losses };
}
