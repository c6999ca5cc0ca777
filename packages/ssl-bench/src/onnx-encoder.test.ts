import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evalTransform } from '@selfsup/augment';
import { loadImageFolder, select } from '@selfsup/datasets/node';
import { extractFeatures } from '@selfsup/eval-transfer/node';
import { initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { validateConfig } from './config';
import type { EncoderSpec } from './config-schema';
import { DEMO_DATA_DIR } from './demo-config';
import { buildEncoder, type EncoderContext } from './encoders';
import { runBenchmark } from './runner';
import { SMALL_MATRIX } from './test-matrix';

// One ResNet-18 (ImageNet stem, width x0.125) exported by PyTorch twice: scripts/make-onnx-fixture.py.
const FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const quiet = { start() {}, done() {}, message() {}, close() {} };

/** The same weights as an ONNX model and as a torchvision checkpoint. */
const ENCODERS: EncoderSpec[] = [
  { name: 'r18-onnx', from: 'onnx', path: 'resnet18-w0.125.onnx' },
  {
    name: 'r18-torchvision',
    from: 'torchvision',
    path: 'resnet18-w0.125.safetensors',
    backbone: { arch: 'resnet18', stem: 'imagenet', width: 0.125 },
  },
];

let out: string;
beforeAll(async () => {
  await initBackend('wasm');
  out = mkdtempSync(join(tmpdir(), 'ssl-bench-onnx-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describeWithData('from: onnx and from: torchvision with the same weights', () => {
  it('give the same features on CIFAR-10 within 1e-4', async () => {
    const config = validateConfig(
      {
        encoders: ENCODERS,
        datasets: [{ name: 'c', format: 'imagefolder', train: 'x', test: 'y' }],
        protocols: [{ kind: 'knn' }],
        reference: { dataset: 'c', protocol: 'knn' },
      },
      'inline',
      FIXTURES,
    );
    const ctx = { config, log: () => {} } as unknown as EncoderContext;
    const [onnx, tfjs] = [await buildEncoder(config.encoders[0], ctx), await buildEncoder(config.encoders[1], ctx)];
    const all = await loadImageFolder(dataPath('cifar10', 'test'));
    const images = select(
      all,
      Array.from({ length: 40 }, (_, i) => i * 25),
    );
    const options = { transform: evalTransform({ resize: 32, crop: 32 }), batchSize: 16 };
    const [a, b] = [await extractFeatures(onnx, images, options), await extractFeatures(tfjs, images, options)];
    expect([a.n, a.dim]).toEqual([40, 64]);
    const diff = a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);
    expect(diff).toBeLessThan(1e-4);
    expect(Math.max(...a.data.map(Math.abs))).toBeGreaterThan(0.1); // real features, not zeros
    await onnx.dispose();
    await tfjs.dispose();
  });
});

describe('a config mixing from: onnx and from: torchvision', () => {
  it('gives the same accuracy in every frozen-feature protocol (within 0.5 points)', async () => {
    const config = validateConfig(
      {
        seed: 3,
        imageSize: 32,
        backend: 'wasm',
        encoders: ENCODERS.map((e) => ({ ...e, path: join(FIXTURES, (e as { path: string }).path) })),
        ...SMALL_MATRIX,
      },
      'mixed config',
      DEMO_DATA_DIR,
    );
    const summary = await runBenchmark({ config, out, progress: quiet });
    expect(summary).toMatchObject({ computed: 2 * 2 * 3, interrupted: false });
    const value = (encoder: string, dataset: string, protocol: string) =>
      summary.cells.find((c) => c.encoder === encoder && c.dataset === dataset && c.protocol === protocol)!.value;
    for (const dataset of ['mnist', 'dtd10']) {
      for (const protocol of ['linear', 'knn', 'fewshot-3way-2shot']) {
        const [onnx, torchvision] = [value('r18-onnx', dataset, protocol), value('r18-torchvision', dataset, protocol)];
        expect(Math.abs(onnx - torchvision) * 100, `${dataset} ${protocol}`).toBeLessThanOrEqual(0.5);
      }
    }
    // Above chance on the digits: the features carry information, so the agreement means something.
    expect(value('r18-onnx', 'mnist', 'knn')).toBeGreaterThan(0.2);
  });
});
