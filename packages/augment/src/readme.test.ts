import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it, vi } from 'vitest';

// Runs the README's main example as written, so the documentation stays true.
it('the README example runs and prints what its comments say', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const example = readme.split('## Example')[1].split('```ts\n')[1].split('```')[0];
  const file = fileURLToPath(new URL('./readme-example.generated.ts', import.meta.url));
  writeFileSync(file, example);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => printed.push(args.map((a) => JSON.stringify(a)).join(' ')));
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
  const shape = JSON.stringify([8, 32, 32, 3]);
  expect(printed).toEqual([`${shape} ${shape}`, `${shape} ${shape} ${shape}`]);
  expect(tf.memory().numTensors).toBe(0);
});
