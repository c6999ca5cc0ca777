import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it, vi } from 'vitest';
import { describeWithData } from '../../../tooling/test-data';

// Runs the README's example as written, so the documentation stays true.
describeWithData('README', () => {
  it('the example runs on MNIST and prints far-above-chance scores', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const example = readme.split('## Example')[1].split('```ts\n')[1].split('```')[0];
    const file = fileURLToPath(new URL('./readme-example.generated.ts', import.meta.url));
    writeFileSync(file, example);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args) => printed.push(args.join(' ')));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
    }
    expect(printed).toHaveLength(3);
    const [probe, knn, shot] = printed;
    expect(Number(probe.match(/^linear probe: C = [\d.e+-]+, top-1 ([\d.]+)$/)![1])).toBeGreaterThan(0.8);
    expect(Number(knn.match(/^kNN: top-1 ([\d.]+)$/)![1])).toBeGreaterThan(0.8);
    expect(Number(shot.match(/^5-way 5-shot: ([\d.]+)% ± ([\d.]+)$/)![1])).toBeGreaterThan(70);
    expect(tf.memory().numTensors).toBe(0);
  });
});
