import { describe, expect, it } from 'vitest';
import { createDataOrder } from './data-order';

describe('createDataOrder', () => {
  it('gives a permutation per epoch, different across epochs', () => {
    const order = createDataOrder(50, 7);
    const e0 = Array.from(order.at(0));
    const e1 = Array.from(order.at(1));
    expect([...e0].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...e1].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(e1).not.toEqual(e0);
  });

  it('replays the same epochs in a fresh order object, whatever the access pattern (resume)', () => {
    const straight = createDataOrder(30, 3);
    const epochs = [0, 1, 2, 3].map((e) => Array.from(straight.at(e)));
    const resumed = createDataOrder(30, 3);
    expect(Array.from(resumed.at(2))).toEqual(epochs[2]);
    expect(Array.from(resumed.at(3))).toEqual(epochs[3]);
    expect(Array.from(resumed.at(1))).toEqual(epochs[1]);
    expect(Array.from(createDataOrder(30, 4).at(0))).not.toEqual(epochs[0]);
  });

  it('names bad arguments', () => {
    expect(() => createDataOrder(0, 1)).toThrow('createDataOrder: count must be a positive integer, got 0');
    expect(() => createDataOrder(3, 1).at(-1)).toThrow('dataOrder.at: epoch must be a non-negative integer, got -1');
  });
});
