import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadImageFolder, select } from '@selfsup/datasets/node';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';
import { loadRunEncoder } from './run-encoder';

const root = mkdtempSync(join(tmpdir(), 'byol-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

describeWithData('selfsup-byol export of a trained run', () => {
  const runDir = join(root, 'run');
  let images: tf.Tensor4D;
  beforeAll(async () => {
    const train = ['train', '--data', dataPath('cifar10'), '--format', 'imagefolder', '--split', 'test'];
    const small = ['--limit', '20', '--image-size', '16', '--backbone', 'convnet', '--width', '0.25'];
    const rest = ['--epochs', '1', '--batch-size', '10', '--out', runDir, '--backend', 'wasm'];
    expect((await run([...train, ...small, ...rest])).code).toBe(0);
    const ds = select(
      await loadImageFolder(dataPath('cifar10', 'test'), { size: 16 }),
      Array.from({ length: 12 }, (_, i) => i * 83),
    );
    images = tf.tidy(() => tf.div(tf.tensor4d(ds.images, ds.shape, 'float32'), 255) as tf.Tensor4D);
  });

  it("--format onnx: a model whose features in onnxruntime-node equal the encoder's within 1e-4", async () => {
    const out = join(root, 'encoder.onnx');
    const { code, lines } = await run(['export', '--run', runDir, '--format', 'onnx', '--out', out]);
    expect(code).toBe(0);
    expect(lines).toEqual([`wrote ${out}: ONNX, input images [N, 3, 16, 16] in [0, 1], output features [N, 64]`]);
    const { encoder } = await loadRunEncoder(runDir);
    const expected = encoder.apply(images);
    const session = await InferenceSession.create(out);
    const nchw = tf.transpose(images, [0, 3, 1, 2]);
    const result = await session.run({ images: new Tensor('float32', nchw.dataSync() as Float32Array, nchw.shape) });
    const got = result.features;
    expect(got.dims).toEqual([12, 64]);
    const want = expected.dataSync();
    const diff = (got.data as Float32Array).reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
    expect(diff).toBeLessThan(1e-4);
    await session.release();
    tf.dispose([expected, nchw]);
    encoder.dispose();
  });

  it('--format tfjs: a model.json folder that tf.loadLayersModel reads', async () => {
    const out = join(root, 'web');
    const { code } = await run(['export', '--run', runDir, '--format', 'tfjs', '--out', out]);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const bin = readFileSync(join(out, 'weights.bin'));
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    );
    const { encoder } = await loadRunEncoder(runDir);
    const [got, expected] = [model.predict(images) as tf.Tensor, encoder.apply(images)];
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0])).toBeLessThan(1e-4);
    tf.dispose([got, expected]);
    model.dispose();
    encoder.dispose();
  });

  it('a run started from code (no image size in config.json) needs --image-size', async () => {
    const copy = join(root, 'from-code');
    mkdirSync(copy);
    const { imageSize: _, ...config } = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    writeFileSync(join(copy, 'config.json'), JSON.stringify(config));
    copyFileSync(join(runDir, 'encoder.safetensors'), join(copy, 'encoder.safetensors'));
    const argv = ['export', '--run', copy, '--format', 'onnx', '--out', join(root, 'c.onnx')];
    expect(await run(argv)).toEqual({
      code: 2,
      lines: [`selfsup-byol: ${copy}/config.json does not record the image size the run trained at; pass --image-size`],
    });
    expect((await run([...argv, '--image-size', '24'])).lines[0]).toMatch(/input images \[N, 3, 24, 24\]/);
  });

  it.each([
    [['export', '--format', 'onnx', '--out', 'x.onnx'], /^selfsup-byol: export needs --run/],
    [
      ['export', '--run', 'r', '--format', 'keras', '--out', 'x'],
      /^selfsup-byol: --format must be onnx or tfjs, got 'keras'$/,
    ],
    [
      ['export', '--run', 'nowhere', '--format', 'onnx', '--out', 'x.onnx'],
      /^selfsup-byol: --run nowhere does not exist$/,
    ],
    [
      ['export', '--run', '.', '--format', 'onnx', '--out', 'x.onnx'],
      /^selfsup-byol: \. is not a selfsup-byol run folder: .*config\.json is missing$/,
    ],
    [
      ['export', '--run', 'r', '--format', 'onnx', '--out', 'x', '--image-size', '-1'],
      /^selfsup-byol: --image-size must be a positive integer, got '-1'$/,
    ],
    [
      ['export', '--run', 'r', '--format', 'onnx', '--out', 'x', '--image-size', '0x20'],
      /^selfsup-byol: --image-size must be a positive integer, got '0x20'$/,
    ],
    [
      ['export', '--run', 'r', '--format', 'onnx', '--out', 'x', '--size', '3'],
      /^selfsup-byol: Unknown option '--size'/,
    ],
  ])('usage errors exit 2 with one message: %j', async (argv, message) => {
    const { code, lines } = await run(argv);
    expect(code).toBe(2);
    expect(lines[0]).toMatch(message);
    expect(existsSync('x.onnx')).toBe(false);
  });
});
