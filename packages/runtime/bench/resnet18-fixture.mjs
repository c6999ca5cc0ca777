// A test and benchmark fixture, not a model library (that is @selfsup/backbones,
// which depends on this package and so cannot be used here): ResNet-18 with the
// CIFAR stem (3x3 stride-1 conv, no max-pool), basic blocks [2, 2, 2, 2],
// batch-statistics BatchNorm (the runtime's batchNormTraining, as backbones
// uses), global average pool, linear head, written with plain tf ops so the wasm
// training kernels can be measured on the layer mix of a real network.
// Padding follows torchvision (explicit 1-pixel pads), which for stride 2 is not
// TF's 'same' and so also exercises explicit padding.
import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining } from '@selfsup/runtime';

const PAD1 = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

/** ResNet-18 (CIFAR stem) with `width` channels in the first stage (64 in the paper). */
export function createResNet18({ width = 64, inChannels = 3, classes = 10, seed = 0 } = {}) {
  // tfjs's random ops treat seed 0 as "no seed" (Math.random), so seeds start at seed + 1.
  let nextSeed = seed + 1;
  const variables = [];
  const param = (shape, init) => {
    const v = tf.variable(init(shape), true);
    variables.push(v);
    return v;
  };
  // He-normal conv init, as torchvision's kaiming_normal_(mode='fan_out').
  const conv = (k, cin, cout) =>
    param([k, k, cin, cout], (s) => tf.randomNormal(s, 0, Math.sqrt(2 / (k * k * cout)), 'float32', nextSeed++));
  const bn = (c) => ({ gamma: param([c], tf.ones), beta: param([c], tf.zeros) });

  const stem = { w: conv(3, inChannels, width), bn: bn(width) };
  const blocks = [];
  let cin = width;
  for (const [stage, mult] of [1, 2, 4, 8].entries()) {
    const cout = width * mult;
    for (let i = 0; i < 2; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      blocks.push({
        stride,
        w1: conv(3, cin, cout),
        bn1: bn(cout),
        w2: conv(3, cout, cout),
        bn2: bn(cout),
        down: stride !== 1 || cin !== cout ? { w: conv(1, cin, cout), bn: bn(cout) } : undefined,
      });
      cin = cout;
    }
  }
  const fc = {
    w: param([cin, classes], (s) =>
      tf.randomUniform(s, -1 / Math.sqrt(cin), 1 / Math.sqrt(cin), 'float32', nextSeed++),
    ),
    b: param([classes], tf.zeros),
  };

  // relu: BatchNorm then ReLU in one kernel where the backend has it, as the backbones do.
  const batchNorm = (x, { gamma, beta }, relu = false) => batchNormTraining(x, gamma, beta, { relu });
  const block = (x, b) => {
    let y = batchNorm(tf.conv2d(x, b.w1, b.stride, PAD1), b.bn1, true);
    y = batchNorm(tf.conv2d(y, b.w2, 1, PAD1), b.bn2);
    const shortcut = b.down ? batchNorm(tf.conv2d(x, b.down.w, b.stride, 'valid'), b.down.bn) : x;
    return tf.relu(tf.add(y, shortcut));
  };

  return {
    variables,
    /** Logits [N, classes] for images [N, H, W, inChannels]. */
    apply(x) {
      return tf.tidy(() => {
        let y = batchNorm(tf.conv2d(x, stem.w, 1, PAD1), stem.bn, true);
        for (const b of blocks) y = block(y, b);
        return tf.add(tf.matMul(tf.mean(y, [1, 2]), fc.w), fc.b);
      });
    },
    dispose() {
      tf.dispose(variables);
    },
  };
}

/** Multiply-adds of one forward pass for an HxW input, counted over the conv and linear layers. */
export function resnet18ForwardFlops({ width = 64, inChannels = 3, classes = 10, size = 32 } = {}) {
  let flops = 2 * size * size * 9 * inChannels * width;
  let cin = width;
  let h = size;
  for (const [stage, mult] of [1, 2, 4, 8].entries()) {
    const cout = width * mult;
    for (let i = 0; i < 2; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      h = Math.ceil(h / stride);
      flops += 2 * h * h * 9 * (cin * cout + cout * cout);
      if (stride !== 1 || cin !== cout) flops += 2 * h * h * cin * cout;
      cin = cout;
    }
  }
  return flops + 2 * cin * classes;
}

/**
 * One SGD training step (forward, softmax cross-entropy, backward, update) on
 * `images` [N,H,W,C] and one-hot `labels` [N, classes]; returns the loss.
 */
export function trainingStep(net, optimizer, images, labels) {
  const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.apply(images)), true, net.variables);
  const loss = cost.dataSync()[0];
  cost.dispose();
  return loss;
}
