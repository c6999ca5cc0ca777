import * as tf from '@tensorflow/tfjs-core';
import { resnet18 } from '@selfsup/backbones';
import { imagesToTensor, loadImageFolder, subset } from '@selfsup/datasets/node';
import { emaUpdate } from '@selfsup/ema';
import { symmetricByolLoss } from '@selfsup/losses';
import { LARS } from '@selfsup/optim';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { byolPredictor, byolProjector } from './byol-heads';

describeWithData('a BYOL training step (encoder + projector + predictor, LARS, EMA) on CIFAR-10', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('runs 10 steps without leaking a tensor, lowers the loss and moves the target towards the online network', async () => {
    const ds = subset(await loadImageFolder(dataPath('cifar10', 'test')), 1, 0);
    const images = imagesToTensor(ds);
    // Two fixed "views" of the central 16x16 crop (kept small: wasm's filter gradient dominates the
    // step time): a horizontal flip and a darker copy (the augment package makes the random ones).
    const crop = tf.slice(images, [0, 8, 8, 0], [-1, 16, 16, -1]);
    const view1 = tf.reverse(crop, 2) as tf.Tensor4D;
    const view2 = tf.mul(crop, 0.7) as tf.Tensor4D;

    const encoder = resnet18({ stem: 'cifar', widthMultiplier: 0.125, seed: 0 });
    const projector = byolProjector(encoder.outputDim, { hiddenDim: 64, outputDim: 32, seed: 1 });
    const predictor = byolPredictor({ inputDim: 32, hiddenDim: 64, outputDim: 32, seed: 2 });
    const targetEncoder = encoder.clone();
    const targetProjector = projector.clone();
    const initialTarget = targetEncoder.state().get('conv1.weight')!.clone();
    const online = [encoder, projector, predictor].flatMap((m) => [...m.parameters().values()]);
    const optimizer = new LARS({ learningRate: 0.2 });

    const step = (): number => {
      const { value, grads } = tf.variableGrads(() => {
        const predict = (v: tf.Tensor4D) =>
          predictor.apply(projector.apply(encoder.apply(v, { training: true }), { training: true }), {
            training: true,
          });
        const project = (v: tf.Tensor4D) =>
          targetProjector.apply(targetEncoder.apply(v, { training: true }), { training: true });
        return symmetricByolLoss(predict(view1), project(view2), predict(view2), project(view1));
      }, online);
      expect(Object.keys(grads)).toHaveLength(online.length);
      optimizer.applyGradients(grads);
      tf.dispose(grads);
      emaUpdate(targetEncoder, encoder, 0.9);
      emaUpdate(targetProjector, projector, 0.9);
      const loss = value.dataSync()[0];
      value.dispose();
      return loss;
    };

    const losses = [step()]; // the first step creates LARS's momentum slots
    const live = tf.memory().numTensors;
    for (let i = 1; i < 10; i++) {
      losses.push(step());
      expect(tf.memory().numTensors, `after step ${i + 1}`).toBe(live);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[9]).toBeLessThan(losses[0]);
    const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(maxDiff(targetEncoder.state().get('conv1.weight')!, initialTarget)).toBeGreaterThan(0);
    expect(maxDiff(targetEncoder.state().get('conv1.weight')!, encoder.state().get('conv1.weight')!)).toBeGreaterThan(
      0,
    );

    [encoder, projector, predictor, targetEncoder, targetProjector].forEach((m) => m.dispose());
    tf.dispose([images, crop, view1, view2, initialTarget]);
    optimizer.dispose();
  });
});
