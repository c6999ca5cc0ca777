import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadImageFolder, subset, type ImageDataset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { readSafetensorsHeader, stopOnSignals } from '@selfsup/runtime/node';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { snapshot, tinyNetworks } from './test-fixtures';
import { trainByol, type TrainByolOptions } from './train';

const SIZE = 8;

/** Every value of `actual` within 1e-6 of the same-named tensor of `expected` (a resumed run vs a straight one). */
function expectSameState(actual: Map<string, tf.Variable>, expected: Map<string, tf.Variable>): void {
  const want = snapshot(expected);
  for (const [name, values] of snapshot(actual)) {
    values.forEach((v, i) => expect(Math.abs(v - want.get(name)![i])).toBeLessThanOrEqual(1e-6));
  }
}

/** The `step` of each line of a run's metrics.jsonl. */
function metricSteps(out: string): number[] {
  return readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).step);
}

describeWithData('trainByol on a CIFAR-10 subset', () => {
  let data: ImageDataset;
  const root = mkdtempSync(join(tmpdir(), 'byol-train-'));
  beforeAll(async () => {
    await initBackend('wasm');
    // 4 images per class of the real test split, decoded and downscaled to 8x8 on load.
    data = subset(await loadImageFolder(dataPath('cifar10', 'test'), { size: SIZE }), 4, 0);
  });

  const options = (out: string, extra: Partial<TrainByolOptions> = {}): TrainByolOptions => ({
    ...tinyNetworks(3),
    data,
    epochs: 2,
    batchSize: 8,
    imageSize: SIZE,
    seed: 11,
    out,
    progress: false,
    ...extra,
  });

  it('writes the run folder, and a resumed run ends with the same weights as an uninterrupted one', async () => {
    const straight = await trainByol(options(join(root, 'straight')));
    expect(straight).toMatchObject({ status: 'completed', steps: 10, totalSteps: 10 });

    const stopAt = new AbortController();
    const out = join(root, 'resumed');
    const first = await trainByol(
      options(out, { signal: stopAt.signal, checkpointEvery: 2, onStep: (r) => r.step === 3 && stopAt.abort() }),
    );
    expect(first).toMatchObject({ status: 'interrupted', steps: 3, message: 'aborted' });
    expect((await readSafetensorsHeader(join(out, 'checkpoint.safetensors'))).metadata.step).toBe('3');
    first.byol.dispose({ all: true });

    const second = await trainByol(options(out, { resume: true }));
    expect(second).toMatchObject({ status: 'completed', steps: 10 });
    expectSameState(second.byol.encoder.state(), straight.byol.encoder.state());
    expectSameState(second.byol.target.projector.state(), straight.byol.target.projector.state());

    // One metrics line per step, none repeated by the resume; encoder file in torchvision layout.
    expect(metricSteps(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      images: 40,
      batchSize: 8,
      totalSteps: 10,
      seed: 11,
    });
    const encoderFile = await readSafetensorsHeader(join(out, 'encoder.safetensors'));
    expect(encoderFile.metadata).toMatchObject({ layout: 'torchvision', step: '10' });
    expect(encoderFile.entries.get('stages.0.conv.weight')!.shape).toEqual([4, 3, 3, 3]);
    for (const run of [straight, second]) run.byol.dispose({ all: true });
  });

  it('untilEpoch pauses a run at an epoch of its schedule; resuming it ends as the uninterrupted run', async () => {
    const straight = await trainByol(options(join(root, 'straight-until')));
    const out = join(root, 'until');
    const paused = await trainByol(options(out, { untilEpoch: 1 }));
    expect(paused).toMatchObject({ status: 'paused', steps: 5, totalSteps: 10 });
    expect(paused.message).toMatch(/paused after epoch 1 of 2 \(step 5\/10\)/);
    expect((await readSafetensorsHeader(join(out, 'encoder.safetensors'))).metadata.step).toBe('5');
    paused.byol.dispose({ all: true });
    // The snapshot again (nothing left to train), then the rest of the run.
    const again = await trainByol(options(out, { resume: true, untilEpoch: 1 }));
    expect(again).toMatchObject({ status: 'paused', steps: 5 });
    again.byol.dispose({ all: true });
    const rest = await trainByol(options(out, { resume: true }));
    expect(rest).toMatchObject({ status: 'completed', steps: 10 });
    expectSameState(rest.byol.encoder.state(), straight.byol.encoder.state());
    expect(metricSteps(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const run of [straight, rest]) run.byol.dispose({ all: true });
    await expect(trainByol(options(out, { resume: true, untilEpoch: 1 }))).rejects.toThrow(
      /checkpoint\.safetensors is at step 10, past untilEpoch 1 \(step 5\)/,
    );
    await expect(trainByol(options(join(root, 'until-bad'), { untilEpoch: 3 }))).rejects.toThrow(
      /untilEpoch must be at most epochs \(2\), got 3/,
    );
  });

  it('refuses to resume a checkpoint of a different run, or to shorten it', async () => {
    const out = join(root, 'other');
    const run = await trainByol(options(out, { epochs: 2 }));
    run.byol.dispose({ all: true });
    await expect(trainByol(options(out, { resume: true, seed: 12 }))).rejects.toThrow(
      /belongs to another run .*"seed":11.*this one is .*"seed":12/,
    );
    await expect(trainByol(options(out, { resume: true, epochs: 1 }))).rejects.toThrow(
      /was planned for 2 epochs; a resumed run can extend it \(more epochs\) but not shorten it to 1/,
    );
    // Weights trained on [0, 1] inputs do not continue under a standardisation (ssl-bench pretrain folders of older runs).
    await expect(
      trainByol(options(out, { resume: true, inputNormalization: { mean: [0.5], std: [0.25] } })),
    ).rejects.toThrow(
      /records input standardisation none, this run asks for mean \[0\.5\], std \[0\.25\]; that is a new run/,
    );
  });

  it("checkpoints and stops on the CLI's SIGINT abort, and stops on a non-finite loss keeping the last good checkpoint", async () => {
    const out = join(root, 'signal');
    const listeners = process.listenerCount('SIGINT');
    const stop = stopOnSignals();
    const interrupted = await trainByol(
      options(out, {
        signal: stop.signal,
        onStep: (r) => {
          // The library itself installs no handler: only stopOnSignals' one is there.
          expect(process.listenerCount('SIGINT')).toBe(listeners + 1);
          if (r.step === 2) process.emit('SIGINT', 'SIGINT');
        },
      }),
    );
    stop.dispose();
    expect(interrupted).toMatchObject({ status: 'interrupted', message: 'received SIGINT', steps: 2 });
    expect(stop.received).toBe('SIGINT');
    expect(process.listenerCount('SIGINT')).toBe(listeners);
    interrupted.byol.dispose({ all: true });

    const divergedOut = join(root, 'nan');
    const before = tf.memory().numTensors;
    const diverged = await trainByol(options(divergedOut, { optimizer: tf.train.sgd(1e30), checkpointEvery: 1 }));
    expect(diverged.status).toBe('diverged');
    expect(diverged.message).toMatch(
      /^loss is (NaN|Infinity) at step \d+ \(epoch 1\); training stopped\. The last good checkpoint \(step \d+\) is kept in .*checkpoint\.safetensors/,
    );
    const kept = Number((await readSafetensorsHeader(join(divergedOut, 'checkpoint.safetensors'))).metadata.step);
    expect(kept).toBe(diverged.steps - 1);
    expect(existsSync(join(divergedOut, 'encoder.safetensors'))).toBe(true);
    diverged.byol.dispose({ all: true });
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
