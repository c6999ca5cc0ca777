import { checkSeed, createRng } from '@selfsup/runtime';
import * as tf from '@tensorflow/tfjs-core';

/** Channels of the fixed random network's three 3×3 stride-2 convolutions. */
const CHANNELS = [32, 64, 128];

/**
 * A perceptual distance with LPIPS's structure (Zhang et al., CVPR 2018) and a fixed, seeded
 * random ConvNet in place of its trained AlexNet and learned weights, a documented stand-in when
 * no pretrained network is at hand (Zhang et al. find random networks' features already track
 * perception partly): images scaled to [-1, 1] go through three 3×3 stride-2 conv + ReLU layers
 * (He-normal weights from `seed`); at each layer the feature vector of every position is
 * unit-normalised over channels, and the squared difference is averaged over positions and summed
 * over layers. Returns one distance per image pair and their mean; 0 for identical images.
 */
export function perceptualDistance(
  a: tf.Tensor4D,
  b: tf.Tensor4D,
  options: { seed?: number } = {},
): { distance: number; perImage: Float32Array } {
  const fn = 'perceptualDistance';
  const seed = checkSeed(fn, options.seed ?? 0);
  if (!(a instanceof tf.Tensor) || !(b instanceof tf.Tensor) || a.rank !== 4 || a.shape.join() !== b.shape.join())
    throw new Error(
      `${fn}: a and b must be 4-D tensors [N, H, W, C] of the same shape, got [${a?.shape}] and [${b?.shape}]`,
    );
  const rng = createRng(seed);
  const perImage = tf.tidy(() => {
    let inC = a.shape[3];
    const weights = CHANNELS.map((outC) => {
      const w = rng.fillNormal(new Float32Array(9 * inC * outC), 0, Math.sqrt(2 / (9 * inC)));
      const t = tf.tensor4d(w, [3, 3, inC, outC]);
      inC = outC;
      return t;
    });
    let x = tf.concat([tf.sub(tf.mul(a, 2), 1), tf.sub(tf.mul(b, 2), 1)], 0) as tf.Tensor4D;
    const n = a.shape[0];
    let total: tf.Tensor1D = tf.zeros([n]);
    for (const w of weights) {
      x = tf.relu(tf.conv2d(x, w, 2, 'same'));
      const unit = tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x), 3, true)), 1e-10));
      const [ua, ub] = tf.split(unit, 2, 0);
      total = tf.add(total, tf.mean(tf.sum(tf.square(tf.sub(ua, ub)), 3), [1, 2]));
    }
    return total;
  });
  const values = perImage.dataSync() as Float32Array;
  perImage.dispose();
  return { distance: values.reduce((s, v) => s + v, 0) / values.length, perImage: Float32Array.from(values) };
}
