// Issue #14's small-data check: `selfsup-byol train` with NO recipe flags (the auto recipe) on
// 2,000 training images of a 28x28 grayscale dataset (ConvNet, 40 epochs, batch 128), scored
// against the identical random init with byol_reference.py's evaluation; `--reference` also
// runs byol_reference.py on the same budget (2,000 images, 40 epochs, batch 128).
//   node small-data.mjs --dataset mnist|fashion-mnist [--epochs 40] [--batch-size 128] [--limit 2000] [--reference] [--out results/small-data] [-- <more train flags>]
// Flags after `--` go to `selfsup-byol train` unchanged (e.g. `-- --image-size 32` to compare a setting).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackbone, withInputNormalization } from '@selfsup/backbones';
import { loadRunEncoder } from '@selfsup/byol/node';
import { loadDataset } from '@selfsup/datasets/node';
import { initBackend } from '@selfsup/runtime';
import { DATA_DIR } from './data.mjs';
import { referenceEvaluation, runPytorchReference } from './reference-eval.mjs';

const { values: args, positionals: extraTrainFlags } = parseArgs({
  allowPositionals: true,
  options: {
    dataset: { type: 'string', default: 'mnist' },
    epochs: { type: 'string', default: '40' },
    'batch-size': { type: 'string', default: '128' },
    limit: { type: 'string', default: '2000' },
    reference: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/small-data' },
  },
});
const FORMATS = { mnist: 'imagefolder', 'fashion-mnist': 'idx' };
const format = FORMATS[args.dataset];
if (!format) throw new Error(`--dataset must be one of ${Object.keys(FORMATS).join(', ')}, got '${args.dataset}'`);
const path = join(DATA_DIR, args.dataset);
const runDir = join(args.out, `${args.dataset}-run`);
mkdirSync(args.out, { recursive: true });

// 1. The CLI, as a user runs it: no recipe flags.
const cli = new URL('../../packages/byol/bin/selfsup-byol.js', import.meta.url).pathname;
const trainArgs = [
  'train',
  '--data',
  path,
  '--format',
  format,
  '--limit',
  args.limit,
  '--backbone',
  'convnet',
  '--epochs',
  args.epochs,
  '--batch-size',
  args['batch-size'],
  '--out',
  runDir,
  ...extraTrainFlags,
];
console.error(`selfsup-byol ${trainArgs.join(' ')}`);
const start = performance.now();
execFileSync(process.execPath, [cli, ...trainArgs], { stdio: 'inherit' });
const seconds = (performance.now() - start) / 1000;
const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));

// 2. The same images with their labels, and the test split, at the size the run trained at;
// the run's encoder (with its input standardisation) and its exact init, standardised alike.
await initBackend('auto');
const size = config.imageSize;
const train = await loadDataset({ format, path, split: 'train', limit: Number(args.limit), seed: config.seed, size });
const test = await loadDataset({ format, path, split: 'test', size });
const { encoder: trained } = await loadRunEncoder(runDir);
const random = withInputNormalization(
  createBackbone({ arch: config.backbone, stem: config.stem, widthMultiplier: config.width, seed: config.seed }),
  trained.inputNormalization,
);
const rows = [];
for (const [encoder, name] of [
  [trained, 'byol'],
  [random, 'random init'],
]) {
  const row = {
    impl: 'selfsup',
    dataset: args.dataset,
    encoder: name,
    ...(await referenceEvaluation(encoder, { train, test })),
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}
const result = { dataset: args.dataset, trainImages: train.shape[0], testImages: test.shape[0], seconds, config, rows };

// 3. The PyTorch reference at the same budget.
if (args.reference) {
  // The PyTorch anchor on the same images, same budget.
  const reference = runPytorchReference(
    [
      '--data',
      path,
      '--limit',
      args.limit,
      '--epochs',
      args.epochs,
      '--batch-size',
      args['batch-size'],
      '--log-every',
      '100',
    ],
    { dataset: args.dataset },
  );
  result.reference = reference.summary;
  for (const row of reference.rows) {
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
writeFileSync(join(args.out, `${args.dataset}.json`), `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
