import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackbone } from '@selfsup/backbones';
import { saveTorchvisionWeights } from '@selfsup/backbones/node';
import { channelStatistics } from '@selfsup/datasets';
import { loadImageFolder } from '@selfsup/datasets/node';
import { type Encoder, initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import type { BenchConfig } from './config-schema';
import { buildEncoder, type EncoderContext } from './encoders';

const root = mkdtempSync(join(tmpdir(), 'ssl-bench-encoders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeWithData('buildEncoder: the input standardisation of BYOL encoders', () => {
  let ctx: EncoderContext;
  beforeAll(async () => {
    await initBackend('wasm');
    const test = await loadImageFolder(dataPath('cifar10', 'test'), { size: 8 });
    const train = { ...test, images: test.images.slice(0, 20 * 8 * 8 * 3), labels: test.labels.slice(0, 20) };
    train.shape = [20, 8, 8, 3];
    ctx = {
      config: { seed: 0, imageSize: 8, baseDir: root } as BenchConfig,
      pretrainDir: join(root, 'pretrain'),
      dataset: async () => ({ name: 'cifar10', train, test }),
      log: () => {},
    };
  });

  it('byol-run: the run folder weights with the mean and std of its config.json', async () => {
    const run = join(root, 'run');
    mkdirSync(run);
    const trained = createBackbone({ arch: 'convnet', widthMultiplier: 0.125, seed: 3 });
    await saveTorchvisionWeights(trained, join(run, 'encoder.safetensors'));
    const norm = { mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] };
    writeFileSync(
      join(run, 'config.json'),
      JSON.stringify({ backbone: 'convnet', width: 0.125, imageSize: 8, inputMean: norm.mean, inputStd: norm.std }),
    );
    const encoder = (await buildEncoder({ name: 'mine', from: 'byol-run', path: run }, ctx)) as Encoder;
    expect(encoder.inputNormalization).toEqual(norm);
    encoder.dispose();
  });

  it("byol pretraining standardises with its pretraining images' statistics, as selfsup-byol train does", async () => {
    const spec = {
      name: 'byol-1ep',
      from: 'byol' as const,
      backbone: { arch: 'convnet' as const, width: 0.125 },
      pretrain: { dataset: 'cifar10', epochs: 1, batchSize: 10 },
    };
    const encoder = (await buildEncoder(spec, ctx)) as Encoder;
    const { train } = await ctx.dataset('cifar10');
    expect(encoder.inputNormalization).toEqual(channelStatistics(train));
    encoder.dispose();
  }, 60_000);
});
