import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackbone } from './create-backbone';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('createBackbone', () => {
  it('builds each architecture by name, scaling widths', () => {
    const cases = [
      [{ arch: 'resnet18', stem: 'cifar', widthMultiplier: 0.125 }, 64],
      [{ arch: 'resnet50', stem: 'cifar', widthMultiplier: 0.0625 }, 128],
      [{ arch: 'convnet', widthMultiplier: 0.5 }, 128],
      [{ arch: 'convnet' }, 256],
    ] as const;
    for (const [options, dim] of cases) {
      const encoder = createBackbone(options);
      expect(encoder.outputDim).toBe(dim);
      const x = tf.zeros([2, 16, 16, 3]) as tf.Tensor4D;
      const y = encoder.apply(x, { training: false });
      expect(y.shape).toEqual([2, dim]);
      tf.dispose([x, y]);
      encoder.dispose();
    }
  });

  it('is seeded: same seed, same weights', () => {
    const a = createBackbone({ arch: 'convnet', seed: 3 });
    const b = createBackbone({ arch: 'convnet', seed: 3 });
    const c = createBackbone({ arch: 'convnet', seed: 4 });
    const first = (e: typeof a) => Array.from([...e.parameters().values()][0].dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    c.dispose();
    a.dispose();
    b.dispose();
  });

  it('rejects an unknown architecture by name', () => {
    expect(() => createBackbone({ arch: 'vgg16' as never })).toThrow(
      /arch must be one of convnet, resnet18, resnet34, resnet50, got "vgg16"/,
    );
  });
});
