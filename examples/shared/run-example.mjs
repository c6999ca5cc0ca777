// The command line every method example shares:
//   [STEPS=n] node examples/<method>/train.mjs [--data DIR] [--image-size 32] [--widths 32,64,128]
//     [--batch-size 64] [--seed 0] [--augment method|crop-flip] [--out DIR [--resume] [--checkpoint-every N]
//     [--stop-after N]] [--eval DIR [--results FILE]] [--quiet]
// It loads an ImageFolder (default: the CIFAR-10 subset bundled with @selfsup/ssl-bench),
// builds the method, trains it (checkpointing to --out), and with --eval scores the frozen
// encoder on that labelled folder (linear probe and kNN, fitted on --data's labels).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compose, randomHorizontalFlip, randomResizedCrop } from '@selfsup/augment';
import { convnet } from '@selfsup/backbones';
import { loadImageFolder } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { writeFileAtomic } from '@selfsup/runtime/node';
import { evaluate } from './evaluate.mjs';
import { trainTwoViews } from './two-view-trainer.mjs';

const BUNDLED = new URL('../../packages/ssl-bench/demo-data/cifar10/train', import.meta.url).pathname;

export const OPTIONS = {
  data: { type: 'string', default: process.env.IMAGES ?? BUNDLED },
  steps: { type: 'string', default: process.env.STEPS ?? '150' },
  'image-size': { type: 'string', default: '16' },
  widths: { type: 'string', default: '16,32,64' },
  'batch-size': { type: 'string', default: '64' },
  seed: { type: 'string', default: '0' },
  augment: { type: 'string', default: 'method' },
  out: { type: 'string' },
  resume: { type: 'boolean', default: false },
  'checkpoint-every': { type: 'string' },
  'stop-after': { type: 'string' },
  eval: { type: 'string' },
  results: { type: 'string' },
  quiet: { type: 'boolean', default: false },
};

// Bad usage: one line, exit 2, no stack trace.
export function usage(message) {
  console.error(`error: ${message}`);
  process.exit(2);
}

function positiveInteger(flag, text, min = 1) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) usage(`--${flag} must be an integer >= ${min}, got '${text}'`);
  return n;
}

export function parseSettings(argv = process.argv.slice(2), extraOptions = {}) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...OPTIONS, ...extraOptions }, strict: true }));
  } catch (err) {
    usage(err.message);
  }
  if (!['method', 'crop-flip'].includes(values.augment))
    usage(`--augment must be method or crop-flip, got '${values.augment}'`);
  if (values.resume && !values.out) usage('--resume needs --out (the folder holding checkpoint.safetensors)');
  const checkpoint = values.out && join(values.out, 'checkpoint.safetensors');
  if (values.resume && !existsSync(checkpoint)) usage(`--resume given but ${checkpoint} does not exist`);
  if (values.out && !values.resume && existsSync(checkpoint)) {
    usage(`--out ${values.out} already holds a run; add --resume to continue it or pick another folder`);
  }
  return {
    ...values,
    // 0 steps: score the untrained encoder (the random-init baseline).
    steps: positiveInteger('steps (or STEPS)', values.steps, 0),
    imageSize: positiveInteger('image-size', values['image-size']),
    widths: values.widths.split(',').map((w) => positiveInteger('widths', w)),
    batchSize: positiveInteger('batch-size', values['batch-size']),
    seed: positiveInteger('seed', values.seed, 0),
    checkpointEvery: values['checkpoint-every'] && positiveInteger('checkpoint-every', values['checkpoint-every']),
    stopAfter: values['stop-after'] && positiveInteger('stop-after', values['stop-after']),
  };
}

/** The ablation of Grill et al. 2020, Table 5b: random resized crop and flip, no colour, blur or solarize. */
export function cropFlip(size) {
  return compose([randomResizedCrop({ size, scale: [0.08, 1], ratio: [3 / 4, 4 / 3] }), randomHorizontalFlip(0.5)]);
}

/**
 * Run a method example. `build({ encoder, imageSize, steps, batchSize, seed })` returns
 * { modules: { encoder, ...heads }, optimizer, schedule?, augment: [view1, view2], loss(x1, x2) }.
 */
export async function runExample(name, build) {
  const settings = parseSettings();
  const log = settings.quiet ? () => {} : (line) => console.log(line);
  await initBackend('auto');
  const load = (dir) => loadImageFolder(dir, { size: settings.imageSize }).catch((err) => usage(err.message));
  const data = await load(settings.data);
  const { steps, batchSize, seed, imageSize } = settings;
  const encoder = convnet({ widths: settings.widths, seed });
  const method = { name, ...build({ encoder, imageSize, steps: Math.max(1, steps), batchSize, seed }) };
  if (settings.augment === 'crop-flip') method.augment = [cropFlip(imageSize), cropFlip(imageSize)];
  const start = performance.now();
  const run = steps === 0 ? { steps: 0, loss: Number.NaN } : await trainTwoViews(method, { ...settings, data, log });
  const seconds = (performance.now() - start) / 1000;
  console.log(`${name}: ${run.steps} steps in ${seconds.toFixed(0)} s, final loss ${run.loss.toFixed(4)}`);
  if (settings.eval) {
    const record = { method: steps === 0 ? 'random init' : name, augment: settings.augment, seed, steps: run.steps };
    await report(
      encoder,
      { train: data, test: await load(settings.eval) },
      { ...record, seconds, finalLoss: run.loss },
      settings,
    );
  }
  Object.values(method.modules).forEach((m) => m.dispose());
  method.optimizer.dispose();
}

/** Score a trained encoder on --eval, print it, and write the record to --results (one JSON line). */
export async function report(encoder, splits, record, settings) {
  const scores = await evaluate(encoder, splits);
  const { batchSize, imageSize, widths } = settings;
  const full = { ...record, batchSize, imageSize, widths, ...scores };
  console.log(
    `${record.method}: linear probe ${(100 * scores.linearProbeTop1).toFixed(1)}%, kNN ${(100 * scores.knnTop1).toFixed(1)}%`,
  );
  if (settings.results) await writeFileAtomic(settings.results, `${JSON.stringify(full)}\n`);
  return full;
}
