// Side-by-side benchmark (issue #14): selfsup's BYOL and the PyTorch reference
// (../shared/reference/byol_reference.py) on the same data, architecture, recipe and step
// count, both scored with the reference's evaluation (weighted kNN k = 20 / 200, T = 0.1;
// standardised features + multinomial logistic regression, C from logspace(-4, 4, 9) on a 20%
// validation split, refit on all of train), next to the same encoder at random init.
//   node side-by-side.mjs [--dataset cifar10] [--epochs 32] [--batch-size 256] [--seed 0] [--reference] [--out results/side-by-side]
// Prints one JSON line per encoder and writes <out>/<dataset>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { byolView1, byolView2, normalize } from '@selfsup/augment';
import { convnet } from '@selfsup/backbones';
import { channelStatistics } from '@selfsup/datasets';
import { trainByol } from '@selfsup/byol/node';
import { initBackend } from '@selfsup/runtime';
import { DATA_DIR, loadExperimentData } from './data.mjs';
import { referenceEvaluation, runPytorchReference } from './reference-eval.mjs';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'cifar10' },
    epochs: { type: 'string', default: '32' },
    'batch-size': { type: 'string', default: '256' },
    seed: { type: 'string', default: '0' },
    reference: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/side-by-side' },
  },
});
const [epochs, batchSize, seed] = [args.epochs, args['batch-size'], args.seed].map(Number);
mkdirSync(args.out, { recursive: true });
const log = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const backend = await initBackend('auto', { wasmThreads: availableParallelism() });
log(`backend ${backend.name}: ${backend.reason}`);
const data = await loadExperimentData(args.dataset, 32);
const n = data.train.shape[0];

// byol_reference.py normalises every view and every evaluation image with the training set's
// per-channel mean and std; so does this side.
const { mean, std } = channelStatistics(data.train);
const standardise = (images) => normalize(images, mean, std);
// The small recipe's views (no blur at 32 px, crops of 0.2-1 of the area), then the standardisation.
const viewOptions = { size: 32, blur: false, scale: [0.2, 1] };
const [view1, view2] = [byolView1(viewOptions), byolView2(viewOptions)];
const augment = [(x, rng) => standardise(view1(x, rng)), (x, rng) => standardise(view2(x, rng))];

// ConvNet 32-64-128-256 (byol_reference.py's `convnet`); the 'small' recipe is byol_reference.py's defaults.
const makeEncoder = () => convnet({ widths: [32, 64, 128, 256], seed });
const encoder = makeEncoder();
const start = performance.now();
const run = await trainByol({
  data: data.train,
  encoder,
  epochs,
  batchSize,
  seed,
  recipe: 'small',
  imageSize: 32,
  augment,
  out: join(args.out, `${args.dataset}-byol-run`),
});
const seconds = (performance.now() - start) / 1000;
log(
  `selfsup BYOL: ${run.steps} steps in ${seconds.toFixed(0)} s (${((run.steps * batchSize) / seconds).toFixed(0)} img/s)`,
);

async function score(name, net) {
  const transform = (x) => standardise(x);
  const row = { impl: 'selfsup', encoder: name, ...(await referenceEvaluation(net, data, { transform, seed })) };
  console.log(JSON.stringify(row));
  return row;
}

const rows = [await score('byol', encoder), await score('random init', makeEncoder())];
const result = {
  dataset: args.dataset,
  trainImages: n,
  epochs,
  batchSize,
  steps: run.steps,
  seconds,
  backend: backend.name,
  recipe: run.byol.recipe,
  rows,
};
if (args.reference) {
  // The PyTorch anchor on the same images, same budget.
  const reference = runPytorchReference([
    '--data',
    join(DATA_DIR, args.dataset),
    '--epochs',
    String(epochs),
    '--batch-size',
    String(batchSize),
    '--seed',
    String(seed),
    '--log-every',
    '50',
  ]);
  result.reference = reference.summary;
  for (const row of reference.rows) {
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
writeFileSync(join(args.out, `${args.dataset}.json`), `${JSON.stringify(result, null, 2)}\n`);
run.byol.dispose({ all: true });
process.exit(0);
