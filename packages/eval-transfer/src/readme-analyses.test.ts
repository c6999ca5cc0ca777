import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeWithData, runReadmeSection } from '@selfsup/testing';

// Runs the README's analyses example as written (its own file: a module is imported once per test file).
describeWithData('README', () => {
  it('the analyses example runs on CIFAR-10 and prints measures in their ranges', async () => {
    const printed = await runReadmeSection(
      new URL('../README.md', import.meta.url),
      '## What the features retain',
      (args) => args.join(' '),
    );
    expect(printed).toHaveLength(4);
    const [probe, colour, inversion, saliency] = printed;
    const [, top1, ece] = probe.match(/^linear probe: top-1 ([\d.]+), ECE ([\d.]+)$/)!.map(Number);
    expect(top1).toBeGreaterThan(0.15);
    expect(ece).toBeGreaterThan(0);
    expect(ece).toBeLessThan(1);
    expect(Number(colour.match(/^mean colour from features: R² (-?[\d.]+)$/)![1])).toBeGreaterThan(0.3);
    const [, err, perceptual] = inversion.match(/^inversion: colour error ([\d.]+), perceptual ([\d.]+)$/)!.map(Number);
    expect(err).toBeLessThan(0.1);
    expect(perceptual).toBeGreaterThan(0);
    const iou = Number(saliency.match(/^saliency overlap: ([\d.]+)$/)![1]);
    expect(iou).toBeGreaterThan(0);
    expect(iou).toBeLessThan(1);
    expect(tf.memory().numTensors).toBe(0);
  });
});
