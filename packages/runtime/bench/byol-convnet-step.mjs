// The BYOL step of vs-pytorch.bench.mjs and profile-step.mjs: @selfsup/byol's trainer with
// byol_reference.py's recipe ('small': heads 1024/128, LARS), ConvNet 32-64-128-256, batch
// 256 of 32x32 images, the two views (no blur at 32 px, crops of 0.2-1 of the area) and their
// standardisation included, as the reference does per step.
import * as tf from '@tensorflow/tfjs-core';
import { byolView1, byolView2, normalize } from '@selfsup/augment';
import { convnet } from '@selfsup/backbones';
import { createByol } from '@selfsup/byol';

// byol_reference.py standardises with its training set's statistics; any fixed values cost
// the same, so these are CIFAR-10's well-known ones.
const CIFAR_MEAN = [0.4914, 0.4822, 0.4465];
const CIFAR_STD = [0.247, 0.2435, 0.2616];
const BATCH = 256;

/** A BYOL trainer for `totalSteps` steps; `step()` runs one on a fixed batch, `dispose()` frees everything. */
export function createByolConvnetStep(totalSteps) {
  const viewOptions = { size: 32, blur: false, scale: [0.2, 1] };
  const [view1, view2] = [byolView1(viewOptions), byolView2(viewOptions)];
  const byol = createByol({
    encoder: convnet({ widths: [32, 64, 128, 256], seed: 0 }),
    recipe: 'small',
    imageSize: 32,
    batchSize: BATCH,
    totalSteps,
    seed: 0,
    augment: [
      (x, rng) => normalize(view1(x, rng), CIFAR_MEAN, CIFAR_STD),
      (x, rng) => normalize(view2(x, rng), CIFAR_MEAN, CIFAR_STD),
    ],
  });
  const images = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, 'float32', 6);
  return {
    batch: BATCH,
    step: () => byol.step(images),
    dispose() {
      images.dispose();
      byol.dispose({ all: true });
    },
  };
}
