// A method-agnostic training loop for two-view self-supervised methods (SimCLR, SimSiam,
// Barlow Twins, VICReg): the one data order of @selfsup/datasets, one optimizer step per
// batch, metrics.jsonl, and checkpoints that resume exactly (@selfsup/runtime's trainer state).
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '@selfsup/datasets';
import { saveTorchvisionWeights } from '@selfsup/backbones/node';
import { captureState, createRng, restoreState } from '@selfsup/runtime';
import { readCheckpoint, writeCheckpoint, writeFileAtomic } from '@selfsup/runtime/node';

/**
 * method: { name, modules: { encoder, ...heads }, optimizer, schedule?: (step) => lr (for
 * optimizers without their own), augment: [view1, view2], loss(x1, x2) => tf.Scalar }.
 * `stopAfter` ends the run early after a checkpoint, as an interruption would (continue with `resume`).
 * Returns { steps, loss } (the last loss); the trained encoder is method.modules.encoder.
 */
export async function trainTwoViews(
  method,
  { data, steps, batchSize, seed, out, resume = false, checkpointEvery, stopAfter = steps, log },
) {
  const stepsPerEpoch = Math.floor(data.shape[0] / batchSize);
  if (stepsPerEpoch < 1) throw new Error(`--batch-size ${batchSize} is larger than the ${data.shape[0]} images`);
  const rng = createRng(seed);
  const parts = { modules: method.modules, optimizer: method.optimizer, rng };
  const format = `selfsup-example-${method.name}/1`;
  const variables = Object.values(method.modules).flatMap((m) => [...m.parameters().values()]);
  const paths = out && {
    checkpoint: join(resolve(out), 'checkpoint.safetensors'),
    encoder: join(resolve(out), 'encoder.safetensors'),
    metrics: join(resolve(out), 'metrics.jsonl'),
  };
  let step = 0;
  if (paths && resume) {
    await readCheckpoint(paths.checkpoint, {
      setState: async (tensors, metadata) => {
        step = await restoreState(parts, tensors, metadata, format);
      },
    });
    log(`resumed from ${paths.checkpoint} at step ${step}/${steps}`);
  } else if (paths) {
    if (existsSync(paths.checkpoint))
      throw new Error(`--out ${out} already holds a run; add --resume or pick another folder`);
    mkdirSync(resolve(out), { recursive: true });
    await writeFileAtomic(paths.metrics, '');
  }
  const save = async () => {
    if (!paths) return;
    await writeCheckpoint(paths.checkpoint, { getState: () => captureState(parts, step, format) });
    await saveTorchvisionWeights(method.modules.encoder, paths.encoder, { step: String(step) });
  };
  const [view1, view2] = method.augment;
  let loss = Number.NaN;
  const firstEpoch = Math.floor(step / stepsPerEpoch);
  const stream = batches(data, {
    batchSize,
    seed,
    dropLast: true,
    startEpoch: firstEpoch,
    startBatch: step % stepsPerEpoch,
    epochs: Math.ceil(steps / stepsPerEpoch) - firstEpoch,
  });
  for await (const { images, labels } of stream) {
    if (step >= Math.min(steps, stopAfter)) {
      tf.dispose([images, labels]);
      break;
    }
    if (method.schedule) method.optimizer.setLearningRate(method.schedule(step));
    const value = method.optimizer.minimize(() => method.loss(view1(images, rng), view2(images, rng)), true, variables);
    tf.dispose([images, labels]);
    loss = value.dataSync()[0];
    value.dispose();
    step++;
    log(`step ${step} loss ${loss.toFixed(4)}`);
    if (paths) appendFileSync(paths.metrics, `${JSON.stringify({ step, loss })}\n`);
    if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${step}: lower the learning rate`);
    if (paths && checkpointEvery && step % checkpointEvery === 0 && step < steps) await save();
  }
  await save();
  return { steps: step, loss };
}
