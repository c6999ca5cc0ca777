import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { convGeometry } from './conv-geometry';
import { expectSameOnBothBackends, onCpuAndWasm, seeded, type Pad } from './test-helpers';
import { winogradApplies } from './winograd';

// [input NHWC, outC, stride, pad, Winograd or not]: odd sizes, explicit and asymmetric pads.
const CASES: Array<[[number, number, number, number], number, number, Pad, boolean]> = [
  [[4, 8, 8, 4], 8, 1, 'same', true],
  [[2, 15, 17, 8], 4, 1, 'valid', true],
  [
    [3, 12, 10, 4],
    12,
    1,
    [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
    true,
  ],
  [
    [64, 4, 4, 16],
    8,
    1,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    true,
  ],
  // 1024 input channels: the products take the 68 tiles in two chunks (64 + 4).
  [
    [17, 4, 4, 1024],
    4,
    1,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    true,
  ],
  // Enough tiles for F(4x4, 3x3), which the forward leaves to the gradients (winograd.ts): F(2x2) here.
  [[8, 15, 17, 8], 4, 1, 'valid', true],
  [
    [8, 12, 10, 4],
    12,
    1,
    [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
    true,
  ],
  [
    [80, 4, 4, 1024],
    4,
    1,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    true,
  ],
  // Not Winograd: channels not a multiple of 4, stride 2, too few tiles.
  [[4, 8, 8, 3], 8, 1, 'same', false],
  [[4, 8, 8, 4], 8, 2, 'same', false],
  [[1, 6, 6, 4], 4, 1, 'same', false],
];

describe('Conv2D on wasm', () => {
  it.each(CASES)(
    'x %j, 3x3 → %i channels, stride %i, pad %j (Winograd: %s): equals the cpu backend',
    async (xShape, outC, stride, pad, winograd) => {
      const geometry = convGeometry(xShape, [3, 3, xShape[3], outC], stride, 1, pad, undefined, false);
      expect(winogradApplies(geometry, xShape[3], outC)).toBe(winograd);
      const result = await onCpuAndWasm(() =>
        tf.conv2d(seeded(xShape, 1) as tf.Tensor4D, seeded([3, 3, xShape[3], outC], 2) as tf.Tensor4D, stride, pad),
      );
      expectSameOnBothBackends(result);
    },
  );

  it('leaves no tensor or heap buffer behind', async () => {
    await initBackend('wasm');
    const x = seeded([4, 8, 8, 4], 1) as tf.Tensor4D;
    const w = seeded([3, 3, 4, 8], 2) as tf.Tensor4D;
    tf.conv2d(x, w, 1, 'same').dispose();
    const before = tf.memory();
    tf.conv2d(x, w, 1, 'same').dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, w]);
  });
});
