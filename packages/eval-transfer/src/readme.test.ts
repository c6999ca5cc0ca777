import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeWithData, runReadmeSection } from '@selfsup/testing';

// Runs the README's example as written, so the documentation stays true.
describeWithData('README', () => {
  it('the example runs on MNIST and prints far-above-chance scores', async () => {
    const printed = await runReadmeSection(new URL('../README.md', import.meta.url), '## Example', (args) =>
      args.join(' '),
    );
    expect(printed).toHaveLength(3);
    const [probe, knn, shot] = printed;
    expect(Number(probe.match(/^linear probe: C = [\d.e+-]+, top-1 ([\d.]+)$/)![1])).toBeGreaterThan(0.8);
    expect(Number(knn.match(/^kNN: top-1 ([\d.]+)$/)![1])).toBeGreaterThan(0.8);
    expect(Number(shot.match(/^5-way 5-shot: ([\d.]+)% ± ([\d.]+)$/)![1])).toBeGreaterThan(70);
    expect(tf.memory().numTensors).toBe(0);
  });
});
