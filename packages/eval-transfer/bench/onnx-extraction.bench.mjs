// Frozen-feature extraction of a ResNet-50 (ImageNet stem, width 1) at 224 px, the cost of
// the paper's study, through three engines in one run: onnxruntime-node (our exported
// ONNX of the same encoder, through extractFeatures with an onnxEncoder), the tfjs wasm
// backend (extractFeatures with the encoder itself) and, when /usr/bin/python3 has torch
// and torchvision, PyTorch's eval-mode forward (torch.no_grad). Every engine gets every
// core. One JSON line per engine, then the ratios.
// Settings: BENCH_IMAGES (default 32 images; batches of 16), BENCH_THREADS (default all cores).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resnet50 } from '@selfsup/backbones';
import { saveOnnx } from '@selfsup/backbones/node';
import { extractFeatures } from '@selfsup/eval-transfer';
import { onnxEncoder } from '@selfsup/eval-transfer/node';
import { createRng, enableWasmThreads, initBackend } from '@selfsup/runtime';
import { report } from '../../../tooling/bench.mjs';

const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const n = Number(process.env.BENCH_IMAGES ?? 32);
const batch = 16;
const size = 224;
await enableWasmThreads(threads);
const backend = await initBackend('wasm');

// Throughput does not depend on pixel values: seeded uniform images.
const rng = createRng(0);
const images = new Uint8Array(n * size * size * 3);
for (let i = 0; i < images.length; i++) images[i] = Math.floor(rng.uniform() * 256);
const dataset = { images, labels: new Int32Array(n), shape: [n, size, size, 3], classes: ['x'] };
const common = { model: 'resnet50', stem: 'imagenet', size, batch, images: n, threads };

/** Images/s of one extraction of the dataset after one warm-up batch. */
async function throughput(encoder) {
  await extractFeatures(encoder, {
    ...dataset,
    images: images.subarray(0, batch * size * size * 3),
    shape: [batch, size, size, 3],
  });
  const start = performance.now();
  await extractFeatures(encoder, dataset, { batchSize: batch });
  return n / ((performance.now() - start) / 1000);
}

const encoder = resnet50({ stem: 'imagenet', seed: 0 });
const dir = mkdtempSync(join(tmpdir(), 'onnx-bench-'));
const results = {};
try {
  const path = join(dir, 'resnet50.onnx');
  await saveOnnx(encoder, path, { imageSize: size });
  const onnx = await onnxEncoder(path, { threads });
  results.onnxruntime = await throughput(onnx);
  await onnx.dispose();
  report({
    bench: 'eval-transfer/resnet50-extract-onnxruntime',
    ...common,
    imagesPerSec: +results.onnxruntime.toFixed(2),
  });
  results.wasm = await throughput(encoder);
  report({
    bench: 'eval-transfer/resnet50-extract-tfjs-wasm',
    ...common,
    wasmThreads: backend.threads,
    imagesPerSec: +results.wasm.toFixed(2),
  });
} finally {
  encoder.dispose();
  rmSync(dir, { recursive: true, force: true });
}

// PyTorch: the same network shape (torchvision resnet50, fc removed), eval mode, no_grad.
const TORCH = `
import sys, time, torch, torchvision
n, batch, size, threads = map(int, sys.argv[1:5])
torch.set_num_threads(threads)
m = torchvision.models.resnet50(); m.fc = torch.nn.Identity(); m.eval()
x = torch.rand(n, 3, size, size, generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    m(x[:batch])
    t = time.perf_counter()
    for i in range(0, n, batch): m(x[i:i + batch])
    print(n / (time.perf_counter() - t), torch.__version__)
`;
const python = '/usr/bin/python3';
const torch = existsSync(python)
  ? spawnSync(python, ['-c', TORCH, String(n), String(batch), String(size), String(threads)], { encoding: 'utf8' })
  : undefined;
if (torch?.status === 0) {
  const [ips, version] = torch.stdout.trim().split(/\s+/);
  results.pytorch = Number(ips);
  report({
    bench: 'eval-transfer/resnet50-extract-pytorch',
    ...common,
    torch: version,
    imagesPerSec: +results.pytorch.toFixed(2),
  });
} else {
  const why = torch ? torch.stderr.trim().split('\n').pop() : `${python} not found`;
  console.error(`# PyTorch skipped: ${why} (apt-get install python3-torch python3-torchvision to include it)`);
}
const ratio = (a, b) => (results[a] && results[b] ? +(results[a] / results[b]).toFixed(2) : null);
report({
  bench: 'eval-transfer/resnet50-extract-ratios',
  ...common,
  onnxruntimeOverWasm: ratio('onnxruntime', 'wasm'),
  onnxruntimeOverPytorch: ratio('onnxruntime', 'pytorch'),
  pytorchOverWasm: ratio('pytorch', 'wasm'),
});
