// Ten BYOL training steps on real MNIST digits: online MLP + predictor trained by
// LARS, target updated by emaUpdate. Checks that nothing leaks and that the target
// really is a slow average of the online network.
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { symmetricByolLoss } from '@selfsup/losses';
import { LARS, scaleLearningRate, warmupCosineSchedule } from '@selfsup/optim';
import { createRng, initBackend } from '@selfsup/runtime';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { cosineTau } from './cosine-tau';
import { emaUpdate } from './ema-update';
import { VariableModule } from './testing/variable-module';

const PER_DIGIT = 6;
const PIXELS = 28 * 28;
const STEPS = 10;

/** The first PER_DIGIT training PNGs of every digit, flattened to [0, 1]. */
async function readDigits(): Promise<tf.Tensor2D> {
  const pixels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const folder = dataPath('mnist', 'train', String(digit));
    for (const file of readdirSync(folder).sort().slice(0, PER_DIGIT)) {
      const raw = await sharp(`${folder}/${file}`).greyscale().raw().toBuffer();
      raw.forEach((value) => pixels.push(value / 255));
    }
  }
  return tf.tensor2d(pixels, [pixels.length / PIXELS, PIXELS]);
}

/** A view: each pixel dropped with probability 0.25 (a cheap, real augmentation). */
function randomView(images: tf.Tensor2D, rng: ReturnType<typeof createRng>): tf.Tensor2D {
  const keep = rng.fillUniform(new Float32Array(images.size)).map((u) => (u < 0.25 ? 0 : 1));
  return tf.tidy(() => tf.mul(images, tf.tensor2d(keep, images.shape)));
}

const flat = (m: VariableModule, name: string) => m.state().get(name)!.dataSync<'float32'>().slice();
const distance = (a: Float32Array, b: Float32Array) => Math.hypot(...a.map((x, i) => x - b[i]));

describeWithData('a BYOL step with LARS and emaUpdate on MNIST', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it(`runs ${STEPS} steps without leaking tensors; the target trails the online network`, async () => {
    const images = await readDigits();
    const rng = createRng(7);
    const online = VariableModule.mlp({ input: PIXELS, hidden: 64, output: 32 }, 1);
    const predictor = VariableModule.mlp({ input: 32, hidden: 64, output: 32 }, 2);
    const target = online.clone();
    const initialWeight = flat(online, '0.weight');
    const initialTargetMean = flat(target, '1.running_mean');
    const lars = new LARS({
      learningRate: warmupCosineSchedule({
        baseLr: scaleLearningRate(0.2, images.shape[0]),
        warmupSteps: 2,
        totalSteps: STEPS,
      }),
    });
    const trainable = [...online.parameters().values(), ...predictor.parameters().values()];

    let tensorsAfterFirstStep = 0;
    for (let step = 0; step < STEPS; step++) {
      const [v1, v2] = [randomView(images, rng), randomView(images, rng)];
      const [z1, z2] = [target.apply(v1, { training: true }), target.apply(v2, { training: true })];
      const predict = (v: tf.Tensor2D) => predictor.apply(online.apply(v, { training: true }), { training: true });
      const loss = lars.minimize(() => symmetricByolLoss(predict(v1), z2, predict(v2), z1), true, trainable)!;
      const value = loss.dataSync()[0];
      expect(value, `loss at step ${step}`).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(8);
      tf.dispose([loss, v1, v2, z1, z2]);
      emaUpdate(target, online, cosineTau(step, STEPS, 0.99));
      // The first step creates LARS's momentum buffers; after that the count must not move.
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
      else expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(tensorsAfterFirstStep);
    }

    const onlineMoved = distance(flat(online, '0.weight'), initialWeight);
    const targetMoved = distance(flat(target, '0.weight'), initialWeight);
    expect(onlineMoved).toBeGreaterThan(0);
    expect(targetMoved).toBeGreaterThan(0);
    expect(targetMoved).toBeLessThan(0.1 * onlineMoved);
    // Buffers are kept (BYOL): the target's statistics come from its own forward passes.
    expect(distance(flat(target, '1.running_mean'), initialTargetMean)).toBeGreaterThan(0);
    expect(flat(target, '1.running_mean')).not.toEqual(flat(online, '1.running_mean'));

    lars.dispose();
    [online, predictor, target].forEach((m) => m.dispose());
    images.dispose();
  });
});
