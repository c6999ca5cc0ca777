import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendInfo, initBackend } from './backend';

describe('initBackend', () => {
  it('starts the cpu backend on request and registers gradients', async () => {
    const info = await initBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', native: false, threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
    // Conv2D's gradient comes from the gradient registry, not from tfjs-core alone.
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const dw = tf.grad((f) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 1, 'same')))(w);
    // Each filter tap sees the 4x4 image minus the border it falls off: 9 taps, corner 9, edge 12, centre 16.
    expect(Array.from(dw.dataSync())).toEqual([9, 12, 9, 12, 16, 12, 9, 12, 9]);
    tf.dispose([x, w, dw]);
  });

  it('starts wasm on request', async () => {
    const info = await initBackend('wasm');
    expect(info).toMatchObject({ name: 'wasm', native: false, package: '@tensorflow/tfjs-backend-wasm' });
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(tf.getBackend()).toBe('wasm');
    expect(backendInfo()).toEqual(info);
  });

  it("'auto' explains its pick (no native backend is installable here)", async () => {
    const info = await initBackend('auto');
    if (info.native) {
      expect(info.reason).toMatch(/tfjs-node/);
    } else {
      expect(info.name).toBe('wasm');
      expect(info.reason).toMatch(/no native backend.*using wasm/);
    }
    expect(tf.getBackend()).toBe(info.name);
  });

  it("'tensorflow' without tfjs-node fails with install instructions, not a fallback", async () => {
    let native = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      native = false;
    }
    if (native) return;
    const before = tf.getBackend();
    await expect(initBackend('tensorflow')).rejects.toThrow(/npm i @tensorflow\/tfjs-node@4\.22\.0.*tfjs-node-gpu/);
    expect(tf.getBackend()).toBe(before);
  });

  it('rejects an unknown preference by name', async () => {
    await expect(initBackend('webgpu' as never)).rejects.toThrow(/preference must be .* got "webgpu"/);
  });
});
