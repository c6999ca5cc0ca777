import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { uniqueScope, VariableStore } from './variable-store';

const constant = (size: number, value: number) => new Float32Array(size).fill(value);

describe('VariableStore', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('gives each instance a unique tfjs prefix while keeping the short names', () => {
    expect(uniqueScope('net')).not.toBe(uniqueScope('net'));
    const a = new VariableStore('net');
    const b = new VariableStore('net');
    const va = a.variable('w', [2], () => constant(2, 1));
    const vb = b.variable('w', [2], () => constant(2, 2));
    expect(va.name).not.toBe(vb.name);
    expect([...a.state().keys()]).toEqual(['w']);
    a.dispose();
    b.dispose();
  });

  it('copies deeply, keeps trainability, and reuses copied variables instead of re-initialising', () => {
    const store = new VariableStore('s');
    const before = tf.memory().numTensors;
    store.variable('p', [3], () => constant(3, 1));
    store.variable('buf', [3], () => constant(3, 0), false);
    expect(tf.memory().numTensors).toBe(before + 2);
    const copy = store.copy('s');
    expect([...copy.parameters().keys()]).toEqual(['p']);
    expect([...copy.state().keys()]).toEqual(['p', 'buf']);
    expect(
      copy.variable('p', [3], () => {
        throw new Error('must not re-initialise');
      }),
    ).toBe(copy.get('p'));
    expect(() => copy.variable('p', [4], () => constant(4, 0))).toThrow(/variable 'p' has shape \[3\], expected \[4\]/);
    tf.tidy(() => copy.get('p').assign(tf.zeros([3])));
    expect(Array.from(store.get('p').dataSync())).toEqual([1, 1, 1]);
    copy.dispose();
    store.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => store.get('p')).toThrow(/used after dispose\(\)/);
    expect(() => new VariableStore('e').get('nope')).toThrow(/no variable named 'nope'/);
  });
});
