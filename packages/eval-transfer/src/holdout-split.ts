import { createRng } from '@selfsup/runtime';

/**
 * A seeded validation holdout: from each stratum (class), `round(count * fraction)`
 * rows go to `val`, the rest to `train`, both in ascending order. With a single
 * stratum it is the paper's plain random split (linear.py holds out 20% of train).
 */
export function holdoutSplit(
  strata: Int32Array,
  fraction: number,
  seed: number,
): { train: Int32Array; val: Int32Array } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`holdoutSplit: fraction must be in (0, 1), got ${fraction}`);
  const groups = new Map<number, number[]>();
  strata.forEach((s, i) => {
    const group = groups.get(s);
    if (group) group.push(i);
    else groups.set(s, [i]);
  });
  const rng = createRng(seed);
  const train: number[] = [];
  const val: number[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(groups.get(key)!);
    const nVal = Math.round(rows.length * fraction);
    val.push(...rows.slice(0, nVal));
    train.push(...rows.slice(nVal));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: Int32Array.from(train.sort(ascending)), val: Int32Array.from(val.sort(ascending)) };
}
