// Measures the README's results table: linear probe, kNN and 5-way 5/20-shot
// few-shot on CIFAR-10 and MNIST (the ../shared/data subsets), on raw pixels
// and on the features of a random-init ResNet-18. Run after building:
//   node packages/eval-transfer/scripts/transfer-table.mjs [dataset ...]
// Prints one JSON line per result, then a Markdown table.
import { resnet18 } from '@selfsup/backbones';
import { loadImageFolder } from '@selfsup/datasets/node';
import { extractFeatures, fewShot, knnClassify, linearProbe, top1 } from '@selfsup/eval-transfer';
import { directoryFeatureStore } from '@selfsup/eval-transfer/node';
import { initBackend } from '@selfsup/runtime';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dataDir = resolve(process.env.SELFSUP_DATA ?? join(import.meta.dirname, '../../../../shared/data'));
const cacheDir = join(tmpdir(), 'selfsup-eval-transfer-features');
await initBackend('wasm');

const pixels = (ds) => ({
  data: Float32Array.from(ds.images, (v) => v / 255),
  n: ds.shape[0],
  dim: ds.shape[1] * ds.shape[2] * ds.shape[3],
});

async function resnetFeatures(ds, channels) {
  // ImageNet stem (7x7/2 conv + max-pool) at the native 28-32 px, so a CPU run stays in minutes.
  const encoder = resnet18({ stem: 'imagenet', seed: 0, inputChannels: channels });
  const features = await extractFeatures(encoder, ds, { batchSize: 100, cache: directoryFeatureStore(cacheDir) });
  encoder.dispose();
  return features;
}

const rows = [];
for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ['cifar10', 'mnist']) {
  const train = await loadImageFolder(join(dataDir, name, 'train'));
  const test = await loadImageFolder(join(dataDir, name, 'test'));
  const channels = train.shape[3];
  for (const [kind, featurize] of [
    ['raw pixels', async (ds) => pixels(ds)],
    ['random-init ResNet-18', (ds) => resnetFeatures(ds, channels)],
  ]) {
    const started = performance.now();
    const trainFeatures = await featurize(train);
    const testFeatures = await featurize(test);
    const probe = linearProbe({
      train: { features: trainFeatures, labels: train.labels },
      test: { features: testFeatures, labels: test.labels },
      seed: 0,
    });
    const knn = knnClassify({ trainFeatures, trainLabels: train.labels, testFeatures, k: 200, temperature: 0.1 });
    const shots = [5, 20].map((s) =>
      fewShot({ features: testFeatures, labels: test.labels, ways: 5, shots: s, queries: 15, episodes: 600, seed: 0 }),
    );
    const row = {
      dataset: name,
      features: kind,
      dim: trainFeatures.dim,
      linearTop1: probe.testScore,
      chosenC: probe.C,
      knnTop1: top1(knn.predictions, test.labels),
      fiveShot: shots[0].accuracy,
      fiveShotCi95: shots[0].ci95,
      twentyShot: shots[1].accuracy,
      twentyShotCi95: shots[1].ci95,
      seconds: (performance.now() - started) / 1000,
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
const pct = (v) => (100 * v).toFixed(1);
console.log('\n| dataset | features | dim | linear probe top-1 (C) | kNN top-1 | 5-way 5-shot | 5-way 20-shot |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.dataset} | ${r.features} | ${r.dim} | ${pct(r.linearTop1)} (${r.chosenC.toPrecision(3)}) | ${pct(r.knnTop1)} | ` +
      `${pct(r.fiveShot)} ± ${pct(r.fiveShotCi95)} | ${pct(r.twentyShot)} ± ${pct(r.twentyShotCi95)} |`,
  );
}
