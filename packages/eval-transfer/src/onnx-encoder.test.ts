import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { evalTransform, IMAGENET_MEAN, IMAGENET_STD, normalize } from '@selfsup/augment';
import { convnet, resnet18 } from '@selfsup/backbones';
import { saveOnnx } from '@selfsup/backbones/node';
import { loadImageFolder, select, type ImageDataset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { extractFeatures, memoryFeatureStore } from './extract-features';
import { onnxEncoder } from './node';

let dir: string;
beforeAll(async () => {
  await initBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'onnx-encoder-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describeWithData('onnxEncoder in extractFeatures on CIFAR-10', () => {
  let images: ImageDataset;
  beforeAll(async () => {
    const all = await loadImageFolder(dataPath('cifar10', 'test'));
    images = select(
      all,
      Array.from({ length: 20 }, (_, i) => i * 47),
    );
  });

  it('gives the tfjs encoder features within 1e-4, batched, with progress and the cache', async () => {
    const encoder = resnet18({ stem: 'imagenet', widthMultiplier: 0.125, seed: 7 });
    const path = join(dir, 'resnet18.onnx');
    await saveOnnx(encoder, path, { imageSize: 40 });
    const transform = evalTransform({ resize: 40, crop: 40 });
    const options = { transform, transformId: 'evalTransform(40)', batchSize: 8 };
    const expected = await extractFeatures(encoder, images, options);
    const onnx = await onnxEncoder(path, { threads: 1 });
    expect([onnx.inputName, onnx.outputName]).toEqual(['images', 'features']);
    const progress: number[] = [];
    const cache = memoryFeatureStore();
    const got = await extractFeatures(onnx, images, { ...options, cache, onProgress: (d) => progress.push(d) });
    expect([got.n, got.dim]).toEqual([20, encoder.outputDim]);
    expect(maxDiff(got.data, expected.data)).toBeLessThan(1e-4);
    expect(progress).toEqual([8, 16, 20]);
    // The second extraction is answered by the cache: no batch runs.
    const again = await extractFeatures(onnx, images, { ...options, cache, onProgress: (d) => progress.push(d) });
    expect(again.data).toEqual(got.data);
    expect(progress).toHaveLength(3);
    await onnx.dispose();
    encoder.dispose();
  });

  it('NHWC models and mean/std normalisation: the same as normalising before the tfjs encoder', async () => {
    const encoder = convnet({ widths: [8, 16], seed: 2 });
    const path = join(dir, 'convnet-nhwc.onnx');
    await saveOnnx(encoder, path, { imageSize: 32, layout: 'NHWC' });
    const mean = [...IMAGENET_MEAN];
    const std = [...IMAGENET_STD];
    const expected = await extractFeatures(encoder, images, { transform: (x) => normalize(x, mean, std) });
    const onnx = await onnxEncoder(path, { layout: 'NHWC', mean, std });
    const got = await extractFeatures(onnx, images);
    expect(maxDiff(got.data, expected.data)).toBeLessThan(1e-4);
    // Other preprocessing, other cache entry.
    const plain = await onnxEncoder(path, { layout: 'NHWC' });
    expect(plain.cacheId).not.toBe(onnx.cacheId);
    await Promise.all([onnx.dispose(), plain.dispose()]);
    encoder.dispose();
  });

  it('names the file and the problem', async () => {
    const encoder = convnet({ widths: [4], seed: 0 });
    const path = join(dir, 'convnet.onnx');
    await saveOnnx(encoder, path, { imageSize: 32 });
    await expect(onnxEncoder(join(dir, 'missing.onnx'))).rejects.toThrow(/cannot read the model .*missing\.onnx/);
    writeFileSync(join(dir, 'junk.onnx'), 'not a model');
    await expect(onnxEncoder(join(dir, 'junk.onnx'))).rejects.toThrow(
      /junk\.onnx is not a model ONNX Runtime can load/,
    );
    await expect(onnxEncoder(path, { layout: 'HWC' as 'NHWC' })).rejects.toThrow(/options.layout must be/);
    await expect(onnxEncoder(path, { std: [0.2, 0, 0.2] })).rejects.toThrow(/options.std must not contain 0/);
    await expect(onnxEncoder(path, { inputName: 'x' })).rejects.toThrow(
      /'x' is not one of the model's inputs \(images\)/,
    );
    // A 32 px graph fed 24 px images: ONNX Runtime's message, with the file and the shape.
    const onnx = await onnxEncoder(path);
    const small = tf.tidy(() => tf.image.resizeBilinear(tf.zeros([1, 32, 32, 3]) as tf.Tensor4D, [24, 24]));
    await expect(onnx.encode(small.dataSync() as Float32Array, [1, 24, 24, 3])).rejects.toThrow(
      /convnet\.onnx\): running the model on a batch of shape \[1,3,24,24\]/,
    );
    small.dispose();
    await onnx.dispose();
    encoder.dispose();
  });
});
