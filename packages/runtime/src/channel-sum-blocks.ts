/**
 * The shape of `channelSum`'s tree over `rows` rows: the rows of each level summed in
 * blocks of the largest divisor ≤ 32 while more than 32 rows are left (then one column
 * sum). One owner for the tf-op path and the wasm BatchNorm kernel, whose statistics
 * must be the tf-op path's to the bit.
 */
export function channelSumBlocks(rows: number): number[] {
  const blocks: number[] = [];
  while (rows > 32) {
    let block = 32;
    while (block > 1 && rows % block !== 0) block--;
    if (block === 1) break;
    blocks.push(block);
    rows /= block;
  }
  return blocks;
}
