// BYOL through @selfsup/byol's trainer, with the same flags, data, encoder and evaluation as
// the method examples, so it can be compared at the same budget. Its short-run recipe (as
// ../shared/reference byol_reference.py): LARS base lr 2.0 x batch / 256, tau_base 0.99,
// 10% warm-up, heads 1024 -> 128. --base-tau 1 is the paper's fixed random target (Table 5a:
// the target never moves, so the online network learns to predict a random projection).
import { byolView1, byolView2 } from '@selfsup/augment';
import { convnet } from '@selfsup/backbones';
import { trainByol } from '@selfsup/byol/node';
import { loadImageFolder } from '@selfsup/datasets/node';
import { mlpHead } from '@selfsup/heads';
import { initBackend } from '@selfsup/runtime';
import { cropFlip, parseSettings, report, usage } from '../shared/run-example.mjs';

const settings = parseSettings(process.argv.slice(2), { 'base-tau': { type: 'string', default: '0.99' } });
const baseTau = Number(settings['base-tau']);
if (!(baseTau >= 0 && baseTau <= 1)) usage(`--base-tau must be a number in [0, 1], got '${settings['base-tau']}'`);
const { imageSize, batchSize, seed } = settings;
await initBackend('auto');
const load = (dir) => loadImageFolder(dir, { size: imageSize }).catch((err) => usage(err.message));
const data = await load(settings.data);
const stepsPerEpoch = Math.floor(data.shape[0] / batchSize);
const epochs = Math.max(1, Math.round(settings.steps / stepsPerEpoch));
const encoder = convnet({ widths: settings.widths, seed });
const projector = mlpHead({ inputDim: encoder.outputDim, hiddenDim: 1024, outputDim: 128, seed: seed + 1 });
const predictor = mlpHead({ inputDim: 128, hiddenDim: 1024, outputDim: 128, seed: seed + 2 });
const augment =
  settings.augment === 'crop-flip'
    ? [cropFlip(imageSize), cropFlip(imageSize)]
    : [byolView1({ size: imageSize }), byolView2({ size: imageSize })];
let finalLoss = Number.NaN;
const start = performance.now();
const run = await trainByol({
  data,
  encoder,
  projector,
  predictor,
  augment,
  epochs,
  batchSize,
  seed,
  learningRate: (2.0 * batchSize) / 256,
  baseTau,
  warmupFraction: 0.1,
  out: settings.out,
  resume: settings.resume,
  progress: false,
  onStep: ({ step, loss }) => {
    finalLoss = loss;
    if (!settings.quiet) console.log(`step ${step} loss ${loss.toFixed(4)}`);
  },
});
const seconds = (performance.now() - start) / 1000;
const name = baseTau === 1 ? 'byol-fixed-target' : 'byol';
console.log(`${name}: ${run.status}, ${run.steps} steps in ${seconds.toFixed(0)} s`);
if (settings.eval) {
  const record = { method: name, augment: settings.augment, seed, steps: run.steps, seconds, finalLoss, baseTau };
  await report(encoder, { train: data, test: await load(settings.eval) }, record, settings);
}
run.byol.dispose({ all: true });
