import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { readSafetensorsHeader } from '@selfsup/runtime/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createByol } from './byol';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { snapshot, tinyNetworks } from './test-fixtures';

describe('checkpoint contents', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('holds each tensor resume needs exactly once: module states, one momentum slot per trained parameter, iter', async () => {
    const byol = createByol({ ...tinyNetworks(1), imageSize: 16, batchSize: 8, totalSteps: 4, seed: 3 });
    const x = tf.randomUniform([8, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    byol.step(x);
    const path = join(mkdtempSync(join(tmpdir(), 'byol-ckpt-')), 'checkpoint.safetensors');
    await writeCheckpoint(path, byol);
    const { entries, dataStart } = await readSafetensorsHeader(path);

    const expected = new Map<string, number[]>();
    const modules = {
      'online.encoder': byol.online.encoder,
      'online.projector': byol.online.projector,
      'online.predictor': byol.online.predictor,
      'target.encoder': byol.target.encoder,
      'target.projector': byol.target.projector,
    };
    for (const [prefix, m] of Object.entries(modules)) {
      for (const [name, v] of m.state()) expected.set(`${prefix}.${name}`, v.shape);
    }
    // The target is never trained: no optimizer slot for it, and none for BN running statistics.
    for (const prefix of ['online.encoder', 'online.projector', 'online.predictor'] as const) {
      for (const [name, v] of modules[prefix].parameters())
        expected.set(`optimizer/${prefix}.${name}/momentum`, v.shape);
    }
    expected.set('optimizer/iter', []);
    expect(new Map([...entries].map(([name, e]) => [name, e.shape]))).toEqual(expected);
    // Nothing else in the file: its size is the header plus float32 values of those tensors.
    const values = [...expected.values()].reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
    expect(statSync(path).size).toBe(dataStart + 4 * values);

    // And it restores exactly.
    const twin = createByol({ ...tinyNetworks(7), imageSize: 16, batchSize: 8, totalSteps: 4, seed: 9 });
    await readCheckpoint(path, twin);
    expect(twin.step(x)).toEqual(byol.step(x));
    const want = snapshot(byol.target.encoder.state());
    for (const [name, v] of snapshot(twin.target.encoder.state())) expect(v).toEqual(want.get(name));
    x.dispose();
    twin.dispose({ all: true });
    byol.dispose({ all: true });
  });
});
