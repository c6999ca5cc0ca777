import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { createResNet18, trainingStep } from '../../bench/resnet18-fixture.mjs';
import { initBackend } from '../backend';
import { relativeError } from './test-helpers';

/** The first `count` Fashion-MNIST test images ([count, 28, 28, 1] in [0, 1]) and one-hot labels, read from the IDX files. */
function fashionMnist(count: number): { images: tf.Tensor4D; labels: tf.Tensor2D } {
  const pixels = gunzipSync(readFileSync(dataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(dataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz')));
  expect(pixels.readUInt32BE(0)).toBe(2051); // IDX magic: unsigned bytes, 3 dimensions
  const images = Float32Array.from(pixels.subarray(16, 16 + count * 784), (v) => v / 255);
  return tf.tidy(() => ({
    images: tf.tensor4d(images, [count, 28, 28, 1]),
    labels: tf.cast(
      tf.oneHot(tf.tensor1d(Array.from(labels.subarray(8, 8 + count)), 'int32'), 10),
      'float32',
    ) as tf.Tensor2D,
  }));
}

describeWithData('ResNet-18 (CIFAR stem) training on wasm, on Fashion-MNIST', () => {
  it('runs SGD steps with no tensor leak and lowers the loss on a fixed batch', async () => {
    await initBackend('wasm');
    const { images, labels } = fashionMnist(4);
    const net = createResNet18({ width: 64, inChannels: 1, seed: 1 });
    const optimizer = tf.train.sgd(0.01);
    const losses = [trainingStep(net, optimizer, images, labels)];
    const tensorsAfterFirstStep = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      losses.push(trainingStep(net, optimizer, images, labels));
      expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]).toBeLessThan(losses[0]);
    tf.dispose([images, labels]);
    optimizer.dispose();
    net.dispose();
  });
});

// Seeded noise images rather than Fashion-MNIST: the dataset's constant black background
// drives whole regions of pre-activations to one shared value near zero, where the last-bit
// differences between any two backends flip ReLUs together and the comparison says nothing.
describe('ResNet-18 (CIFAR stem) gradients on wasm', () => {
  it('equal the cpu backend for every parameter', async () => {
    const gradients = async (backend: 'cpu' | 'wasm') => {
      await initBackend(backend);
      const images = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      const labels = tf.tidy(() =>
        tf.cast(tf.oneHot(tf.tensor1d([1, 5, 3, 8], 'int32'), 10), 'float32'),
      ) as tf.Tensor2D;
      const net = createResNet18({ width: 4, seed: 2 });
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, net.apply(images)) as tf.Scalar,
        net.variables,
      );
      const values = net.variables.map((v) => grads[v.name].dataSync() as Float32Array);
      tf.dispose([value, images, labels, ...Object.values(grads)]);
      net.dispose();
      return values;
    };
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-3));
  });
});
