// Does a ResNet-50 (ImageNet stem) SGD step at 224x224 fit in the wasm backend's 4 GiB heap?
// One step (forward with batch statistics, linear head, softmax cross-entropy, backward, SGD
// update) on two wasm threads per batch size and mode (`recompute`: the encoder's activation
// recomputation on; `plain`: off), each in its own process (a heap only grows): prints the
// step's seconds (the process's first step), the heap size after it (the step's peak) and
// tfjs's peak of live tensor bytes, or its error (a full heap throws since the runtime's heap
// guard; before it, the step never returned), with the machine's load average.
// `node resnet50-wasm-memory.bench.mjs [--batches 8,32] [--modes recompute,plain] [--limit-seconds 150]`
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { resnet50 } from '@selfsup/backbones';
import { enableWasmThreads, initBackend } from '@selfsup/runtime';
import { report } from '../../../tooling/bench.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const SIZE = 224;

async function step(batch, recompute, onRejection) {
  await enableWasmThreads(2);
  await initBackend('wasm');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', onRejection);
  const encoder = resnet50({ seed: 0, recompute });
  const fc = tf.variable(tf.randomNormal([encoder.outputDim, 1000], 0, 0.01, 'float32', 1));
  const optimizer = tf.train.sgd(0.01);
  const images = tf.randomUniform([batch, SIZE, SIZE, 3], 0, 1, 'float32', 2);
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, 1000, 'int32', 3), 1000), 'float32'));
  const variables = [...encoder.parameters().values(), fc];
  const start = performance.now();
  const info = await tf.profile(() => {
    const cost = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, tf.matMul(encoder.apply(images, { training: true }), fc)),
      true,
      variables,
    );
    cost.dataSync();
    cost.dispose();
  });
  console.log(
    JSON.stringify({
      seconds: +((performance.now() - start) / 1000).toFixed(1),
      wasmHeapMiB: Math.round(tf.backend().wasm.HEAPU8.length / 2 ** 20),
      peakTensorMiB: Math.round(info.peakBytes / 2 ** 20),
    }),
  );
}

if (process.argv.includes('--child')) {
  // Under tf.profile the wasm backend times kernels in an async function: a kernel's
  // error (the runtime's heap guard) arrives as an unhandled rejection (which emscripten's
  // listener rethrows, ending the process), and the engine then fails on the missing
  // outputs. Report the kernel's error.
  let kernelError;
  const onRejection = (err) => {
    kernelError ??= err;
  };
  try {
    await step(Number(arg('--child')), process.argv.includes('--recompute'), onRejection);
  } catch (err) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const message = (kernelError ?? err).message;
    console.log(JSON.stringify({ error: message, wasmHeapMiB: Math.round(tf.backend().wasm.HEAPU8.length / 2 ** 20) }));
  }
  process.exit(0);
}

const limit = Number(arg('--limit-seconds', 150));
for (const mode of arg('--modes', 'recompute,plain').split(','))
  for (const batch of arg('--batches', '8,32').split(',').map(Number)) {
    const flags = mode === 'recompute' ? ['--recompute'] : [];
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(batch), ...flags], {
      encoding: 'utf8',
      timeout: limit * 1000,
    });
    const line = child.stdout?.split('\n').find((l) => l.startsWith('{'));
    report({
      bench: 'resnet50-wasm-step',
      mode,
      batch,
      imageSize: SIZE,
      threads: 2,
      loadavg: loadavg().map((l) => +l.toFixed(2)),
      ...(line
        ? JSON.parse(line)
        : {
            error: child.signal === 'SIGTERM' ? `no result within ${limit} s` : child.stderr.trim().split('\n').at(-1),
          }),
    });
  }
