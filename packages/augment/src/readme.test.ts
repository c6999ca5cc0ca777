import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { runReadmeSection } from '@selfsup/testing';

// Runs the README's main example as written, so the documentation stays true.
it('the README example runs and prints what its comments say', async () => {
  const printed = await runReadmeSection(new URL('../README.md', import.meta.url));
  const shape = JSON.stringify([8, 32, 32, 3]);
  expect(printed).toEqual([`${shape} ${shape}`, `${shape} ${shape} ${shape}`]);
  expect(tf.memory().numTensors).toBe(0);
});
