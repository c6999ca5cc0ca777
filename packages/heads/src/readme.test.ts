import * as tf from '@tensorflow/tfjs-core';
import * as backbones from '@selfsup/backbones';
import * as runtime from '@selfsup/runtime';
import { expect, it } from 'vitest';
import { runReadmeExamples } from '@selfsup/testing';
import * as heads from './index';

it('the README example runs and prints what the README says', async () => {
  const printed = await runReadmeExamples(new URL('../README.md', import.meta.url), {
    '@tensorflow/tfjs-core': tf,
    '@selfsup/runtime': runtime,
    '@selfsup/backbones': backbones,
    '@selfsup/heads': heads,
  });
  expect(printed).toEqual([
    '[8,256]',
    '["0.weight","0.bias","1.weight","1.bias","1.running_mean","1.running_var","3.weight","3.bias"]',
    '[8,10] ["weight","bias"]',
  ]);
  expect(tf.memory().numTensors).toBe(0);
});
