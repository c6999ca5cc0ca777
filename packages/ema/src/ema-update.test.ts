import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emaUpdate } from './ema-update';
import { VariableModule } from './testing/variable-module';

const values = (m: VariableModule, name: string) => Array.from(m.state().get(name)!.dataSync());

describe('emaUpdate', () => {
  let online: VariableModule;
  let target: VariableModule;
  beforeAll(async () => {
    await initBackend('wasm');
  });
  beforeEach(() => {
    online = VariableModule.mlp({ input: 5, hidden: 4, output: 3 }, 1);
    target = VariableModule.mlp({ input: 5, hidden: 4, output: 3 }, 2);
    // Distinct buffers, as after the two networks ran on different batches.
    online
      .state()
      .get('1.running_mean')!
      .assign(tf.fill([4], 3));
    target
      .state()
      .get('1.running_mean')!
      .assign(tf.fill([4], 1));
  });
  afterEach(() => {
    online.dispose();
    target.dispose();
  });

  it('tau = 1 leaves the target, tau = 0 copies the online parameters', () => {
    const before = values(target, '0.weight');
    emaUpdate(target, online, 1);
    expect(values(target, '0.weight')).toEqual(before);
    emaUpdate(target, online, 0);
    expect(values(target, '0.weight')).toEqual(values(online, '0.weight'));
  });

  it('buffers: keep (default) leaves them, copy takes the online ones, ema averages', () => {
    emaUpdate(target, online, 0.75);
    expect(values(target, '1.running_mean')).toEqual([1, 1, 1, 1]);
    emaUpdate(target, online, 0.75, { buffers: 'ema' });
    expect(values(target, '1.running_mean')).toEqual([1.5, 1.5, 1.5, 1.5]);
    emaUpdate(target, online, 0.75, { buffers: 'copy' });
    expect(values(target, '1.running_mean')).toEqual([3, 3, 3, 3]);
  });

  it('does not touch the online module and leaks nothing', () => {
    const onlineBefore = values(online, '3.weight');
    const count = tf.memory().numTensors;
    emaUpdate(target, online, 0.9, { buffers: 'ema' });
    expect(tf.memory().numTensors).toBe(count);
    expect(values(online, '3.weight')).toEqual(onlineBefore);
  });

  it('lists every name and shape mismatch in one error', () => {
    const other = VariableModule.mlp({ input: 5, hidden: 4, output: 2 }, 3);
    const fewer = VariableModule.fromValues({ '0.weight': tf.zeros([5, 4]), extra: tf.zeros([2]) });
    try {
      expect(() => emaUpdate(other, online, 0.9)).toThrow(
        /parameter 3\.weight has shape \[4,2\] in target but \[4,3\] in online[\s\S]*parameter 3\.bias has shape \[2\] in target but \[3\] in online/,
      );
      expect(() => emaUpdate(fewer, online, 0.9)).toThrow(
        /extra is in target but not in online[\s\S]*0\.bias is in online but not in target/,
      );
      expect(() => emaUpdate(fewer, online, 0.9, { buffers: 'copy' })).toThrow(
        /buffer 1\.running_mean is in online but not in target/,
      );
    } finally {
      other.dispose();
      fewer.dispose();
    }
  });

  it('rejects a bad tau, policy or aliasing with a clear message', () => {
    expect(() => emaUpdate(target, online, 1.5)).toThrow('emaUpdate: tau must be a number in [0, 1], got 1.5');
    expect(() => emaUpdate(target, online, Number.NaN)).toThrow('got NaN');
    // @ts-expect-error: checking the runtime guard
    expect(() => emaUpdate(target, online, 0.9, { buffers: 'average' })).toThrow(`got "average"`);
    expect(() => emaUpdate(online, online, 0.9)).toThrow('same module');
  });
});
