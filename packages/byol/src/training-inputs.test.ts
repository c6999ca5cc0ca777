import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { normalize } from '@selfsup/augment';
import { createBackbone } from '@selfsup/backbones';
import { loadWeights } from '@selfsup/backbones/node';
import { channelStatistics, imagesToTensor } from '@selfsup/datasets';
import { loadDataset, loadImages } from '@selfsup/datasets/node';
import { readSafetensors } from '@selfsup/runtime/node';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';
import { loadRunEncoder } from './run-encoder';
import { nativeSizeProblem } from './training-inputs';

const root = mkdtempSync(join(tmpdir(), 'byol-inputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

const config = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describeWithData('selfsup-byol train: native image size and input standardisation by default', () => {
  const runDir = join(root, 'run');
  const photos = join(root, 'digits');
  const train = ['train', '--data', dataPath('mnist'), '--format', 'imagefolder', '--split', 'test', '--limit', '20'];
  const small = ['--backbone', 'convnet', '--width', '0.125', '--epochs', '1', '--batch-size', '10'];
  let stats: { mean: number[]; std: number[] };
  let expected: Float32Array;
  let paths: string[];

  beforeAll(async () => {
    const trained = await run([...train, ...small, '--out', runDir, '--backend', 'wasm']);
    expect(trained.code).toBe(0);
    expect(trained.lines).toContain(`data: 20 images of 28x28x3 from ${dataPath('mnist')} (test)`);
    // The same 20 images the run loaded: their statistics are the standardisation.
    stats = channelStatistics(
      await loadDataset({ format: 'imagefolder', path: dataPath('mnist'), split: 'test', limit: 20, seed: 0 }),
    );
    // The reference features, written out: the bare backbone with the run's weights on (x - mean) / std.
    mkdirSync(photos);
    const dir = dataPath('mnist', 'test', '7');
    for (const f of readdirSync(dir).sort().slice(0, 5)) copyFileSync(join(dir, f), join(photos, f));
    const images = await loadImages(photos, { channels: 3 });
    paths = images.paths;
    const bare = createBackbone({ arch: 'convnet', stem: 'cifar', widthMultiplier: 0.125 });
    await loadWeights(bare, join(runDir, 'encoder.safetensors'));
    expected = tf.tidy(() =>
      bare.apply(normalize(imagesToTensor(images), stats.mean, stats.std), { training: false }).dataSync(),
    ) as Float32Array;
    bare.dispose();
  }, 120_000);

  it("trains at the images' own size and stores the training images' per-channel mean and std, and says so", () => {
    const c = config(runDir);
    expect(c.imageSize).toBe(28);
    expect(c.imageSizeFrom).toBe("the images' own size, all 28x28");
    expect(c.normalize).toBe('data');
    expect(c.inputNormalizationFrom).toBe('the 20 training images');
    expect(maxDiff(c.inputMean, stats.mean)).toBeLessThan(1e-12);
    expect(maxDiff(c.inputStd, stats.std)).toBeLessThan(1e-12);
    // Grey digits: one value in every channel, about MNIST's well-known 0.13 / 0.31.
    expect(c.inputMean[0]).toBe(c.inputMean[2]);
    expect(c.inputMean[0]).toBeGreaterThan(0.08);
    expect(c.inputStd[0]).toBeGreaterThan(0.25);
  });

  it('loadRunEncoder and embed apply the stored standardisation to [0, 1] images', async () => {
    const { encoder } = await loadRunEncoder(runDir);
    expect(encoder.inputNormalization).toEqual({ mean: config(runDir).inputMean, std: config(runDir).inputStd });
    const images = await loadImages(photos, { channels: 3 });
    const got = tf.tidy(() => encoder.apply(imagesToTensor(images)).dataSync());
    encoder.dispose();
    expect(maxDiff(got, expected)).toBeLessThan(1e-5);
    const out = join(root, 'emb.safetensors');
    const embedded = await run(['embed', '--run', runDir, '--data', photos, '--out', out, '--backend', 'wasm']);
    expect(embedded.code).toBe(0);
    const st = await readSafetensors(out);
    expect(JSON.parse(st.metadata.paths)).toEqual(paths);
    expect(maxDiff(st.tensors.get('features')!.data as Float32Array, expected)).toBeLessThan(1e-5);
  });

  it('export --format onnx puts the standardisation into the graph: [0, 1] images in, the same features out', async () => {
    const out = join(root, 'encoder.onnx');
    expect((await run(['export', '--run', runDir, '--format', 'onnx', '--out', out])).code).toBe(0);
    const images = await loadImages(photos, { channels: 3 });
    const nchw = tf.tidy(() => tf.transpose(imagesToTensor(images), [0, 3, 1, 2]));
    const session = await InferenceSession.create(out);
    const result = await session.run({ images: new Tensor('float32', nchw.dataSync() as Float32Array, nchw.shape) });
    await session.release();
    nchw.dispose();
    expect(maxDiff(result.features.data as Float32Array, expected)).toBeLessThan(1e-4);
  });

  it('resume keeps the stored standardisation; changing it is a new run; older runs resume unstandardised', async () => {
    const extended = await run(['resume', runDir, '--epochs', '2', '--backend', 'wasm']);
    expect(extended.code).toBe(0);
    expect(config(runDir).inputMean).toEqual(stats.mean);
    const changed = await run(['resume', runDir, '--epochs', '3', '--normalize', 'none']);
    expect(changed.code).toBe(2);
    expect(changed.lines.at(-1)).toMatch(/cannot change on resume: --normalize none \(the run has data\)/);
    // A run folder from before standardisation existed: its config.json has no normalize / inputMean.
    const old = join(root, 'old-run');
    mkdirSync(old);
    for (const f of ['checkpoint.safetensors', 'encoder.safetensors', 'metrics.jsonl'])
      copyFileSync(join(runDir, f), join(old, f));
    const { normalize: _n, inputMean: _m, inputStd: _s, inputNormalizationFrom: _f, ...before } = config(runDir);
    writeFileSync(join(old, 'config.json'), JSON.stringify({ ...before, epochs: 2 }));
    const resumed = await run(['resume', old, '--epochs', '3', '--backend', 'wasm']);
    expect(resumed.code).toBe(0);
    expect(config(old)).toMatchObject({ normalize: 'none', inputMean: null, inputStd: null });
    expect((await loadRunEncoder(old)).encoder.inputNormalization).toBeUndefined();
  }, 120_000);

  it('--image-size, --normalize none and --input-mean/--input-std override the defaults', async () => {
    const out = join(root, 'flags');
    const flagged = await run([
      ...train,
      ...small,
      ...['--image-size', '16', '--input-mean', '0.5', '--input-std', '0.25', '--out', out, '--backend', 'wasm'],
    ]);
    expect(flagged.code).toBe(0);
    expect(config(out)).toMatchObject({
      imageSize: 16,
      imageSizeFrom: '--image-size',
      inputMean: [0.5],
      inputStd: [0.25],
      inputNormalizationFrom: '--input-mean / --input-std',
    });
    const none = join(root, 'none');
    expect((await run([...train, ...small, '--normalize', 'none', '--out', none, '--backend', 'wasm'])).code).toBe(0);
    expect(config(none)).toMatchObject({ imageSize: 28, inputMean: null, inputStd: null });
    const half = await run([...train, ...small, '--input-mean', '0.5', '--out', join(root, 'half')]);
    expect(half).toEqual({
      code: 2,
      lines: ['selfsup-byol: --input-mean and --input-std go together: give both or neither'],
    });
  }, 120_000);

  it('images of different sizes, non-square or larger than 64 px are resized to 32 by default, and it says why', async () => {
    expect(nativeSizeProblem([28, 28])).toBeUndefined();
    expect(nativeSizeProblem([64, 64])).toBeUndefined();
    expect(nativeSizeProblem([96, 96])).toBe('images larger than 64 px (96x96)');
    expect(nativeSizeProblem([28, 32])).toBe('images of 28x32 (not square)');
    // Digits (28 px) and frogs (32 px) in one folder of photos.
    const mixed = join(root, 'mixed');
    mkdirSync(mixed);
    for (const f of readdirSync(photos)) copyFileSync(join(photos, f), join(mixed, f));
    const frogs = dataPath('cifar10', 'test', 'frog');
    for (const f of readdirSync(frogs).sort().slice(0, 5)) copyFileSync(join(frogs, f), join(mixed, `frog-${f}`));
    const out = join(root, 'mixed-run');
    const trained = await run([
      ...['train', '--data', mixed, '--format', 'images', '--backbone', 'convnet', '--width', '0.125'],
      ...['--epochs', '1', '--batch-size', '5', '--out', out, '--backend', 'wasm'],
    ]);
    expect(trained.code).toBe(0);
    expect(trained.lines.find((l) => l.startsWith('inputs: '))).toMatch(
      /^inputs: 32x32 px \(default for images of different sizes\), standardised per channel with mean \[/,
    );
    expect(config(out)).toMatchObject({ imageSize: 32, imageSizeFrom: 'default for images of different sizes' });
  }, 60_000);
});
