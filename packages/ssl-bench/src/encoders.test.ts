import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
      config: { seed: 0, imageSize: 8, baseDir: root, encoders: [] } as unknown as BenchConfig,
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

  it("random init standardised like BYOL: the same seeded weights with the dataset's statistics", async () => {
    const backbone = { arch: 'convnet' as const, width: 0.125 };
    const plain = (await buildEncoder({ name: 'r', from: 'random', backbone }, ctx)) as Encoder;
    const spec = { name: 'r', from: 'random' as const, backbone, normalize: 'cifar10' };
    const standardised = (await buildEncoder(spec, ctx)) as Encoder;
    const explicit = { mean: [0.5], std: [0.25] };
    const given = (await buildEncoder({ name: 'r', from: 'random', backbone, ...explicit }, ctx)) as Encoder;
    const { train } = await ctx.dataset('cifar10');
    expect(plain.inputNormalization).toBeUndefined();
    expect(standardised.inputNormalization).toEqual(channelStatistics(train));
    expect(given.inputNormalization).toEqual(explicit);
    for (const [name, v] of plain.state()) {
      expect(standardised.state().get(name)!.dataSync(), name).toEqual(v.dataSync());
    }
    for (const e of [plain, standardised, given]) e.dispose();
  });

  it('BYOL snapshots of one schedule are one run: each continues the shorter one, the last equals a straight run', async () => {
    const backbone = { arch: 'convnet' as const, width: 0.125 };
    const snap = (epochs: number) => ({
      name: `snap-${epochs}`,
      from: 'byol' as const,
      backbone,
      pretrain: { dataset: 'cifar10', epochs, batchSize: 10, scheduleEpochs: 3 },
    });
    const straightSpec = {
      name: 'straight',
      from: 'byol' as const,
      backbone,
      pretrain: { dataset: 'cifar10', epochs: 3, batchSize: 10 },
    };
    const lines: string[] = [];
    const config = { ...ctx.config, encoders: [snap(1), snap(3)] } as BenchConfig;
    const sctx = { ...ctx, config, log: (l: string) => lines.push(l) };
    const weights = (e: Encoder) => [...e.state()].map(([name, v]) => [name, [...v.dataSync()]] as const);
    const built = [];
    for (const spec of config.encoders) built.push((await buildEncoder(spec, sctx)) as Encoder);
    const alone = { ...ctx, config: { ...ctx.config, encoders: [straightSpec] }, pretrainDir: join(root, 'alone') };
    built.push((await buildEncoder(straightSpec, alone as EncoderContext)) as Encoder);
    expect(lines).toEqual([`encoder 'snap-3': continuing the BYOL run of ${join(ctx.pretrainDir, 'snap-1')}`]);
    const steps = (name: string) =>
      readFileSync(join(ctx.pretrainDir, name, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n').length;
    expect([steps('snap-1'), steps('snap-3')]).toEqual([2, 6]);
    const [one, three, straight] = built.map(weights);
    three.forEach(([name, values], i) => {
      expect(name).toBe(straight[i][0]);
      values.forEach((v, j) => expect(Math.abs(v - straight[i][1][j])).toBeLessThanOrEqual(1e-6));
    });
    expect(one).not.toEqual(three);
    // Built again (a resumed benchmark), a snapshot is its own finished run.
    const again = (await buildEncoder(snap(1), sctx)) as Encoder;
    expect(weights(again)).toEqual(one);
    for (const e of [...built, again]) e.dispose();
  }, 60_000);
});
