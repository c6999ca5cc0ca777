import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng, type Encoder, initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { convnet } from './convnet';
import { withInputNormalization } from './input-normalization';
import { saveTfjsModel } from './node';
import { resnet18, resnet50 } from './resnet';
import sharp from 'sharp';
import { readdirSync } from 'node:fs';

/** The first image of every CIFAR-10 test class at `size` px, NHWC in [0, 1]. */
async function cifarImages(size: number): Promise<tf.Tensor4D> {
  const classes = readdirSync(dataPath('cifar10', 'test')).sort();
  const pixels = new Float32Array(classes.length * size * size * 3);
  for (const [i, cls] of classes.entries()) {
    const dir = dataPath('cifar10', 'test', cls);
    const data = await sharp(join(dir, readdirSync(dir).sort()[0]))
      .removeAlpha()
      .resize(size, size)
      .raw()
      .toBuffer();
    for (let j = 0; j < data.length; j++) pixels[i * data.length + j] = data[j] / 255;
  }
  return tf.tensor4d(pixels, [classes.length, size, size, 3]);
}

/** Random BN affine parameters and running statistics of real images, so every weight matters. */
function calibrate(encoder: Encoder, images: tf.Tensor4D, seed: number): void {
  const rng = createRng(seed);
  for (const [name, v] of encoder.parameters()) {
    if (v.rank !== 1) continue;
    v.assign(
      tf.tensor1d(
        Float32Array.from({ length: v.size }, () =>
          name.endsWith('weight') ? 0.5 + rng.uniform() : 0.2 * (rng.uniform() - 0.5),
        ),
      ),
    );
  }
  for (let i = 0; i < 10; i++) tf.dispose(encoder.apply(images, { training: true }));
}

const CASES: Array<[string, () => Encoder, number]> = [
  ['resnet18 cifar stem', () => resnet18({ stem: 'cifar', widthMultiplier: 1 / 8, seed: 1 }), 32],
  ['resnet50 imagenet stem', () => resnet50({ stem: 'imagenet', widthMultiplier: 1 / 16, seed: 2 }), 48],
  ['convnet', () => convnet({ widths: [8, 16, 24], seed: 3 }), 28],
  // The input standardisation is part of the exported graph: the model takes [0, 1] images too.
  [
    'convnet with input standardisation',
    () =>
      withInputNormalization(convnet({ widths: [8, 16, 24], seed: 4 }), {
        mean: [0.49, 0.48, 0.45],
        std: [0.25, 0.24, 0.26],
      }),
    28,
  ],
];

describeWithData('saveTfjsModel: a model.json that tf.loadLayersModel reads back', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'tfjs-export-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const [label, make, size] of CASES) {
    it(`${label}: the loaded model predicts the encoder's features within 1e-4`, async () => {
      const encoder = make();
      const images = await cifarImages(size);
      calibrate(encoder, images, size);
      const out = join(dir, label.replace(/ /g, '-'));
      await saveTfjsModel(encoder, out, { imageSize: size });
      const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
      expect(json.format).toBe('layers-model');
      expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
      const weights = readFileSync(join(out, 'weights.bin'));
      const model = await tfl.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        }),
      );
      const before = tf.memory().numTensors;
      const got = model.predict(images) as tf.Tensor2D;
      const expected = encoder.apply(images);
      expect(got.shape).toEqual([10, encoder.outputDim]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0])).toBeLessThan(1e-4);
      tf.dispose([got, expected, images]);
      expect(tf.memory().numTensors).toBe(before - 1);
      model.dispose();
      encoder.dispose();
    });
  }
});
