// The README's programmatic example, kept true by running it (run folder in a temp dir).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convnet } from '@selfsup/backbones';
import { mlpHead } from '@selfsup/heads';
import { imagesToTensor, loadImageFolder, subset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { trainByol } from './train';

describeWithData('README example', () => {
  it('trains a small ConvNet with BYOL on CIFAR-10 images and writes the run folder', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'byol-readme-')), 'readme-example');
    await initBackend('wasm');
    const data = subset(await loadImageFolder(dataPath('cifar10', 'test'), { size: 16 }), 8, 0);
    const encoder = convnet({ widths: [8, 16], seed: 0 });
    const result = await trainByol({
      data,
      encoder,
      projector: mlpHead({ inputDim: encoder.outputDim, hiddenDim: 64, outputDim: 32, seed: 1 }),
      predictor: mlpHead({ inputDim: 32, hiddenDim: 64, outputDim: 32, seed: 2 }),
      epochs: 2,
      batchSize: 16,
      imageSize: 16,
      seed: 0,
      out,
      progress: false,
    });
    expect([result.status, result.steps]).toEqual(['completed', 10]);
    const images = imagesToTensor(data);
    const features = result.byol.encoder.apply(images);
    expect(features.shape).toEqual([80, 16]);
    images.dispose();
    features.dispose();
    result.byol.dispose({ all: true });
    expect(readdirSync(out).sort()).toEqual([
      'checkpoint.safetensors',
      'config.json',
      'encoder.safetensors',
      'metrics.jsonl',
    ]);
  });
});
