import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, toTfTensor } from '@selfsup/runtime';
import { readSafetensors, readSafetensorsHeader } from '@selfsup/runtime/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '@selfsup/testing';
import { loadTorchvisionWeights, loadWeights, saveTorchvisionWeights, saveWeights } from './node';
import { resnet18, resnet50, type ResNet } from './resnet';

// Made by test/fixtures/make_fixtures.py with torch 1.13 / torchvision 0.14.
const fixture = (file: string) => fileURLToPath(new URL(`../test/fixtures/${file}`, import.meta.url));

const CASES = [
  { file: 'resnet18-cifar-w0.125', make: () => resnet18({ stem: 'cifar', widthMultiplier: 0.125, seed: 5 }) },
  { file: 'resnet50-imagenet-w0.0625', make: () => resnet50({ stem: 'imagenet', widthMultiplier: 0.0625, seed: 5 }) },
];

async function readIo(file: string): Promise<Map<string, tf.Tensor>> {
  const { tensors } = await readSafetensors(fixture(`${file}.io.safetensors`));
  return new Map([...tensors].map(([name, raw]) => [name, toTfTensor(raw, name)]));
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`torchvision checkpoints on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    for (const { file, make } of CASES) {
      it(`${file}: features equal PyTorch's within 1e-3, in eval and training mode`, async () => {
        const io = await readIo(file);
        const net = make();
        const report = await loadTorchvisionWeights(net, fixture(`${file}.safetensors`));
        expect(report.loaded).toEqual([...net.state().keys()]);
        expect(report.ignored.sort()).toEqual(
          [
            'fc.bias',
            'fc.weight',
            ...report.loaded
              .filter((n) => n.endsWith('running_mean'))
              .map((n) => n.replace('running_mean', 'num_batches_tracked')),
          ].sort(),
        );
        const evalOut = net.apply(io.get('input') as tf.Tensor4D, { training: false });
        expect(evalOut.shape).toEqual(io.get('features_eval')!.shape);
        expect(maxAbsDiff(evalOut, io.get('features_eval')!)).toBeLessThan(1e-3);

        const trainOut = net.apply(io.get('input') as tf.Tensor4D, { training: true });
        expect(maxAbsDiff(trainOut, io.get('features_train')!)).toBeLessThan(1e-3);
        // torch updated its running statistics in that same training forward.
        for (const [name, variable] of net.state()) {
          if (!name.includes('running_')) continue;
          const expected = io.get(`train_state.${name}`)!;
          const scale = Math.max(
            1,
            tf.tidy(() => tf.max(tf.abs(expected)).dataSync()[0]),
          );
          expect(maxAbsDiff(variable, expected) / scale, name).toBeLessThan(1e-4);
        }
        tf.dispose([evalOut, trainOut, ...io.values()]);
        net.dispose();
      });
    }
  });
}

describe('weights files', () => {
  let dir: string;
  let net: ResNet;
  beforeAll(async () => {
    await initBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'selfsup-backbones-'));
    net = resnet18({ stem: 'cifar', widthMultiplier: 0.125, seed: 1 });
  });
  afterAll(() => {
    net.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  function expectSameState(a: ResNet, b: ResNet): void {
    for (const [name, v] of a.state()) expect(maxAbsDiff(v, b.state().get(name)!), name).toBe(0);
  }

  it('round-trips our random ResNet through torchvision layout', async () => {
    const path = join(dir, 'tv.safetensors');
    await saveTorchvisionWeights(net, path);
    const header = await readSafetensorsHeader(path);
    expect(header.entries.get('conv1.weight')!.shape).toEqual([8, 3, 3, 3]);
    expect(header.entries.get('layer2.0.downsample.0.weight')!.shape).toEqual([16, 8, 1, 1]);
    expect(header.metadata).toMatchObject({ format: 'selfsup', layout: 'torchvision' });
    const other = resnet18({ stem: 'cifar', widthMultiplier: 0.125, seed: 2 });
    const before = tf.memory().numTensors;
    const report = await loadTorchvisionWeights(other, path);
    expect(tf.memory().numTensors).toBe(before);
    expect(report.ignored).toEqual([]);
    expectSameState(net, other);
    other.dispose();
  });

  it('saveWeights/loadWeights keep names and the tfjs layout', async () => {
    const path = join(dir, 'ours.safetensors');
    await saveWeights(net, path, { note: 'test' });
    const header = await readSafetensorsHeader(path);
    expect([...header.entries.keys()]).toEqual([...net.state().keys()]);
    expect(header.entries.get('conv1.weight')!.shape).toEqual([3, 3, 3, 8]);
    expect(header.metadata).toEqual({ note: 'test', format: 'selfsup', layout: 'tfjs' });
    const other = resnet18({ stem: 'cifar', widthMultiplier: 0.125, seed: 3 });
    await loadWeights(other, path);
    expectSameState(net, other);
    await expect(loadTorchvisionWeights(other, path)).rejects.toThrow(/read it with loadWeights/);
    other.dispose();
  });

  it('lists every missing and mis-shaped key in one error and changes nothing', async () => {
    const wide = resnet18({ stem: 'cifar', widthMultiplier: 0.25, seed: 1 });
    const before = wide.state().get('conv1.weight')!.dataSync().slice();
    const error = await loadTorchvisionWeights(wide, fixture('resnet18-cifar-w0.125.safetensors')).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/conv1\.weight \(file \[8,3,3,3\], expected \[16,3,3,3\]\)/);
    expect((error as Error).message).toMatch(/layer4\.1\.bn2\.running_var/);
    expect(wide.state().get('conv1.weight')!.dataSync()).toEqual(before);
    wide.dispose();

    const bottleneck = resnet50({ stem: 'cifar', widthMultiplier: 0.125 });
    await expect(loadTorchvisionWeights(bottleneck, fixture('resnet18-cifar-w0.125.safetensors'))).rejects.toThrow(
      /\d+ missing: layer1\.0\.conv3\.weight, layer1\.0\.bn3\.weight, .*; \d+ with the wrong shape: layer1\.0\.conv1\.weight \(file \[8,8,3,3\], expected \[8,8,1,1\]\)/,
    );
    bottleneck.dispose();
    await expect(loadWeights(net, fixture('resnet18-cifar-w0.125.safetensors'))).rejects.toThrow(
      /loadTorchvisionWeights/,
    );
  });
});
