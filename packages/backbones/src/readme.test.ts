import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as runtime from '@selfsup/runtime';
import { expect, it } from 'vitest';
import { runReadmeExamples } from '@selfsup/testing';
import * as backbones from './index';
import * as node from './node';

it('the README examples run and print what the README says', async () => {
  const printed = await runReadmeExamples(new URL('../README.md', import.meta.url), {
    '@tensorflow/tfjs-core': tf,
    '@selfsup/runtime': runtime,
    '@selfsup/backbones': backbones,
    '@selfsup/backbones/node': node,
    'node:os': { ...os },
    'node:path': { ...path },
  });
  expect(printed).toEqual([
    '[4,128] 128',
    '["conv1.weight","bn1.weight","bn1.bias","layer1.0.conv1.weight"]',
    '60',
    'true',
    '100 0',
  ]);
  expect(tf.memory().numTensors).toBe(0);
});
