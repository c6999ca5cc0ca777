import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, toTfTensor } from '@selfsup/runtime';
import { readSafetensors } from '@selfsup/runtime/node';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { loadTorchvisionWeights } from './node';
import { resnet18 } from './resnet';

const fixture = (file: string) => fileURLToPath(new URL(`../test/fixtures/${file}`, import.meta.url));

/** Decode CIFAR-10 JPEGs with sharp into one [N, 32, 32, 3] batch in [0, 1]. */
async function decodeCifar(files: string[]): Promise<tf.Tensor4D> {
  const pixels = new Float32Array(files.length * 32 * 32 * 3);
  for (const [i, file] of files.entries()) {
    const { data, info } = await sharp(dataPath('cifar10', file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels], file).toEqual([32, 32, 3]);
    for (let j = 0; j < data.length; j++) pixels[i * data.length + j] = data[j] / 255;
  }
  return tf.tensor4d(pixels, [files.length, 32, 32, 3]);
}

describeWithData('resnet18 on real CIFAR-10 images', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it("gives PyTorch's features for one image of each class (decoded by sharp here, by PIL there)", async () => {
    // The fixture names the files and holds torchvision's output for them (make_fixtures.py).
    const { tensors, metadata } = await readSafetensors(fixture('resnet18-cifar-w0.125.io.safetensors'), {
      names: ['cifar_input', 'cifar_features_eval'],
    });
    const files: string[] = JSON.parse(metadata.cifar_files);
    expect(files).toHaveLength(10);
    const images = await decodeCifar(files);
    const [pilPixels, expected] = [
      toTfTensor(tensors.get('cifar_input')!),
      toTfTensor(tensors.get('cifar_features_eval')!),
    ];
    const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(maxDiff(images, pilPixels)).toBeLessThan(1e-6);

    const net = resnet18({ stem: 'cifar', widthMultiplier: 0.125 });
    await loadTorchvisionWeights(net, fixture('resnet18-cifar-w0.125.safetensors'));
    const features = net.apply(images);
    expect(features.shape).toEqual([10, 64]);
    expect(maxDiff(features, expected)).toBeLessThan(1e-3);

    // Eval mode treats every image on its own: one image alone gives its row of the batch.
    const single = tf.tidy(() => net.apply(tf.slice(images, [3, 0, 0, 0], [1, 32, 32, 3])));
    const row = tf.slice(features, [3, 0], [1, 64]);
    expect(maxDiff(single, row)).toBeLessThan(1e-5);
    tf.dispose([images, pilPixels, expected, features, single, row]);
    net.dispose();
  });
});
