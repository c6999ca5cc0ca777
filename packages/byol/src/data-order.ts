import { createRng, type Rng } from '@selfsup/runtime';

/**
 * The image order of every epoch, from one seeded stream: epoch e is the e-th
 * shuffle. `at(epoch)` replays the stream from the start when asked for an
 * earlier epoch, so a resumed run sees exactly the order the first run did.
 */
export function createDataOrder(count: number, seed: number): { at(epoch: number): Int32Array } {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`createDataOrder: count must be a positive integer, got ${count}`);
  let rng: Rng = createRng(seed);
  let epoch = -1;
  let order: Int32Array = new Int32Array(0);
  return {
    at(wanted) {
      if (!Number.isInteger(wanted) || wanted < 0)
        throw new Error(`dataOrder.at: epoch must be a non-negative integer, got ${wanted}`);
      if (wanted < epoch) {
        rng = createRng(seed);
        epoch = -1;
      }
      while (epoch < wanted) {
        order = rng.shuffle(Int32Array.from({ length: count }, (_, i) => i)) as Int32Array;
        epoch += 1;
      }
      return order;
    },
  };
}
