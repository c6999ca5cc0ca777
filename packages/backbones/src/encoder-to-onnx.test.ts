import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Encoder, initBackend } from '@selfsup/runtime';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { convnet } from './convnet';
import { withInputNormalization } from './input-normalization';
import { encoderToOnnx } from './encoder-to-onnx';
import { saveOnnx } from './node';
import { resnet18, resnet50 } from './resnet';

/** The first image of every CIFAR-10 test class, resized to `size`, as NHWC floats in [0, 1]. */
async function cifarImages(size: number): Promise<tf.Tensor4D> {
  const classes = readdirSync(dataPath('cifar10', 'test')).sort();
  const pixels = new Float32Array(classes.length * size * size * 3);
  for (const [i, cls] of classes.entries()) {
    const dir = dataPath('cifar10', 'test', cls);
    const file = join(dir, readdirSync(dir).sort()[0]);
    const data = await sharp(file).removeAlpha().resize(size, size).raw().toBuffer();
    for (let j = 0; j < data.length; j++) pixels[i * data.length + j] = data[j] / 255;
  }
  return tf.tensor4d(pixels, [classes.length, size, size, 3]);
}

/**
 * Non-trivial BN parameters and statistics, so the export of each is tested: random
 * affine parameters, then running statistics of real images (training-mode passes),
 * which keep the features at a trained network's scale.
 */
function perturbBatchNorms(encoder: Encoder, images: tf.Tensor4D, seed: number): void {
  const rng = createRng(seed);
  for (const [name, v] of encoder.parameters()) {
    if (v.rank !== 1) continue;
    const values = Float32Array.from({ length: v.size }, () =>
      name.endsWith('weight') ? 0.5 + rng.uniform() : 0.2 * (rng.uniform() - 0.5),
    );
    v.assign(tf.tensor1d(values));
  }
  for (let i = 0; i < 10; i++) tf.dispose(encoder.apply(images, { training: true }));
}

async function onnxFeatures(model: Uint8Array, images: tf.Tensor4D, layout: 'NCHW' | 'NHWC') {
  const session = await InferenceSession.create(model);
  try {
    const input = tf.tidy(() => (layout === 'NCHW' ? tf.transpose(images, [0, 3, 1, 2]) : tf.clone(images)));
    const feed = new Tensor('float32', input.dataSync() as Float32Array, input.shape);
    input.dispose();
    const out = await session.run({ [session.inputNames[0]]: feed });
    return out[session.outputNames[0]];
  } finally {
    await session.release();
  }
}

const CASES: Array<[string, () => Encoder, number]> = [
  ['resnet18 cifar stem', () => resnet18({ stem: 'cifar', widthMultiplier: 1 / 8, seed: 1 }), 32],
  ['resnet18 imagenet stem', () => resnet18({ stem: 'imagenet', widthMultiplier: 1 / 8, seed: 2 }), 48],
  ['resnet50 cifar stem', () => resnet50({ stem: 'cifar', widthMultiplier: 1 / 16, seed: 3 }), 32],
  ['resnet50 imagenet stem', () => resnet50({ stem: 'imagenet', widthMultiplier: 1 / 16, seed: 4 }), 64],
  ['convnet', () => convnet({ widths: [8, 16, 24, 32, 40, 48], seed: 5 }), 20],
  // The input standardisation is part of the exported graph: the model takes [0, 1] images too.
  [
    'convnet with input standardisation',
    () =>
      withInputNormalization(convnet({ widths: [8, 16, 24], seed: 6 }), {
        mean: [0.49, 0.48, 0.45],
        std: [0.25, 0.24, 0.26],
      }),
    20,
  ],
];

describeWithData('encoderToOnnx in onnxruntime-node', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'onnx-export-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const [label, make, size] of CASES) {
    it(`${label}: the same features as encoder.apply within 1e-4 (NCHW, ${size} px)`, async () => {
      const encoder = make();
      const images = await cifarImages(size);
      perturbBatchNorms(encoder, images, size);
      const expected = encoder.apply(images);
      const path = join(dir, `${label.replace(/ /g, '-')}.onnx`);
      await saveOnnx(encoder, path, { imageSize: size });
      const session = await InferenceSession.create(path);
      expect(session.inputNames).toEqual(['images']);
      expect(session.outputNames).toEqual(['features']);
      await session.release();
      const got = await onnxFeatures(encoderToOnnx(encoder, { imageSize: size }), images, 'NCHW');
      expect(got.dims).toEqual([10, encoder.outputDim]);
      const diff = tf.tidy(
        () =>
          tf
            .max(tf.abs(tf.sub(tf.tensor2d(got.data as Float32Array, [10, encoder.outputDim]), expected)))
            .dataSync()[0],
      );
      const scale = tf.tidy(() => tf.max(tf.abs(expected)).dataSync()[0]);
      expect(diff).toBeLessThan(1e-4);
      expect(scale).toBeGreaterThan(1e-2); // not trivially zero
      tf.dispose([images, expected]);
      encoder.dispose();
    });
  }

  it('NHWC layout takes our tensors as they are', async () => {
    const encoder = resnet18({ stem: 'cifar', widthMultiplier: 1 / 8, seed: 6 });
    const images = await cifarImages(32);
    perturbBatchNorms(encoder, images, 6);
    const expected = encoder.apply(images);
    const got = await onnxFeatures(encoderToOnnx(encoder, { imageSize: 32, layout: 'NHWC' }), images, 'NHWC');
    const diff = tf.tidy(
      () =>
        tf
          .max(tf.abs(tf.sub(tf.tensor2d(got.data as Float32Array, got.dims as [number, number]), expected)))
          .dataSync()[0],
    );
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([images, expected]);
    encoder.dispose();
  });

  it('names the problem for bad options and foreign encoders', () => {
    const encoder = convnet({ widths: [4], seed: 0 });
    expect(() => encoderToOnnx(encoder, { imageSize: 0 })).toThrow(/imageSize must be a positive integer/);
    expect(() => encoderToOnnx(encoder, { imageSize: 8, layout: 'CHW' as 'NCHW' })).toThrow(/layout must be/);
    const foreign = { state: () => encoder.state(), outputDim: 4 } as unknown as Encoder;
    expect(() => encoderToOnnx(foreign, { imageSize: 8 })).toThrow(/only the ResNet and ConvNet/);
    encoder.dispose();
  });
});
