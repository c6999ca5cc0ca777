// emaUpdate over a ResNet-18-sized parameter list (runtime's fixture: 62
// tensors, 11.68 M values), the per-step cost of BYOL's target network, next to
// a tf.train.momentum step over the same list measured in the same process.
// Usage: node ema.bench.mjs [wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import { cosineTau, emaUpdate } from '@selfsup/ema';
import { initBackend } from '@selfsup/runtime';
import { createResNet18 } from '../../runtime/bench/resnet18-fixture.mjs';
import { report, timeIt } from '../../../tooling/bench.mjs';

const backend = process.argv[2] ?? 'wasm';
await initBackend(backend);

/** The fixture's variables as a Module (names by position; only parameters() and state() are used). */
function asModule(seed) {
  const { variables } = createResNet18({ width: 64, classes: 1000, seed });
  const params = new Map(variables.map((v, i) => [`p${i}`, v]));
  return { parameters: () => params, state: () => params, variables };
}
const online = asModule(0);
const target = asModule(1000);
const count = online.variables.reduce((sum, v) => sum + v.size, 0);

let step = 0;
const emaSeconds = await timeIt(
  async () => {
    emaUpdate(target, online, cosineTau(step++, 1000));
    await target.variables[0].data();
  },
  { warmup: 1, iterations: 5 },
);
const grads = Object.fromEntries(
  online.variables.map((v, i) => [v.name, tf.randomNormal(v.shape, 0, 1e-3, 'float32', i)]),
);
const momentum = tf.train.momentum(0.1, 0.9);
const momentumSeconds = await timeIt(
  async () => {
    momentum.applyGradients(grads);
    await online.variables[0].data();
  },
  { warmup: 1, iterations: 5 },
);
report({
  bench: 'ema/emaUpdate',
  paramTensors: online.variables.length,
  parameters: count,
  msPerUpdate: +(emaSeconds * 1e3).toFixed(1),
  msMomentumStep: +(momentumSeconds * 1e3).toFixed(1),
  ratioToMomentum: +(emaSeconds / momentumSeconds).toFixed(2),
});
