import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli';
import { checkConfigFiles } from './check-config-files';
import { validateConfig } from './config';
import { DEMO_DATA_DIR } from './demo-config';

describe('ssl-bench run checks every file a config names before anything runs', () => {
  it('lists every kind of mistake at once with exit 2, no stack trace, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-check-'));
    cpSync(join(DEMO_DATA_DIR, 'mnist'), join(dir, 'mnist'), { recursive: true });
    mkdirSync(join(dir, 'flat'));
    writeFileSync(join(dir, 'flat', 'a.png'), 'x');
    mkdirSync(join(dir, 'empty-class', 'cat'), { recursive: true });
    mkdirSync(join(dir, 'empty-class', 'dog'));
    cpSync(join(DEMO_DATA_DIR, 'mnist', 'test', '0'), join(dir, 'empty-class', 'dog'), { recursive: true });
    writeFileSync(join(dir, 'a-file'), 'x');
    mkdirSync(join(dir, 'cifar-bin'));
    mkdirSync(join(dir, 'not-a-run'));
    mkdirSync(join(dir, 'run-no-encoder'));
    writeFileSync(join(dir, 'run-no-encoder', 'config.json'), JSON.stringify({ backbone: 'convnet', imageSize: 16 }));
    const config = {
      imageSize: 32,
      encoders: [
        { name: 'r', from: 'random', backbone: { arch: 'convnet' } },
        { name: 'gone', from: 'byol-run', path: 'no-such-run' },
        { name: 'plain', from: 'byol-run', path: 'not-a-run' },
        { name: 'early', from: 'byol-run', path: 'run-no-encoder' },
        { name: 'tv', from: 'torchvision', path: 'resnet18.safetensors', backbone: { arch: 'resnet18' } },
        { name: 'ox', from: 'onnx', path: 'mnist' },
      ],
      datasets: [
        { name: 'ok', format: 'imagefolder', train: 'mnist/train', test: 'mnist/test', perClass: { train: 31 } },
        { name: 'typo', format: 'imagefolder', train: 'mnist/tarin', test: 'a-file' },
        { name: 'flat', format: 'imagefolder', train: 'flat', test: 'empty-class' },
        { name: 'bin', format: 'cifar', train: 'cifar-bin', test: 'cifar-bin' },
        {
          name: 'idx',
          format: 'idx',
          train: { images: 'train-images.gz', labels: 'mnist' },
          test: { images: 'x', labels: 'y' },
        },
      ],
      protocols: [{ kind: 'knn' }],
      reference: { dataset: 'ok', protocol: 'knn' },
    };
    const file = join(dir, 'bench.json');
    writeFileSync(file, JSON.stringify(config));
    const lines: string[] = [];
    const code = await main(['run', file, '--out', join(dir, 'out')], (l) => lines.push(l));
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    const [head, ...problems] = lines[0].split('\n');
    expect(head).toBe(`ssl-bench: ${file}: invalid config:`);
    expect(problems.map((p) => p.replace(/^ {2}- /, '').replaceAll(dir, '<dir>'))).toEqual([
      "datasets[ok].perClass.train: 31 images per class, but class '0' in <dir>/mnist/train has 30",
      'datasets[typo].train: <dir>/mnist/tarin does not exist',
      'datasets[typo].test: <dir>/a-file is not a folder',
      'datasets[flat].train: <dir>/flat has no class sub-folders (expected <dir>/flat/<class>/<image>)',
      'datasets[flat].test: class folders without images in <dir>/empty-class: cat',
      'datasets[bin].train: <dir>/cifar-bin holds no data_batch_1.bin (CIFAR-10 binary batches, or their cifar-10-batches-bin folder)',
      'datasets[bin].test: <dir>/cifar-bin holds no test_batch.bin (CIFAR-10 binary batches, or their cifar-10-batches-bin folder)',
      'datasets[idx].train.images: <dir>/train-images.gz does not exist',
      'datasets[idx].test.images: <dir>/x does not exist',
      'datasets[idx].test.labels: <dir>/y does not exist',
      'encoders[gone].path: run folder <dir>/no-such-run does not exist',
      'encoders[plain].path: <dir>/not-a-run is not a selfsup-byol run folder: <dir>/not-a-run/config.json is missing',
      "encoders[early].path: <dir>/run-no-encoder has no encoder.safetensors yet (written at the run's first checkpoint)",
      'encoders[tv].path: <dir>/resnet18.safetensors does not exist',
      'encoders[ox].path: <dir>/mnist is a folder; expected a .onnx file',
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('warns when a trained encoder is evaluated at another image size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-size-'));
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'config.json'), JSON.stringify({ backbone: 'convnet', imageSize: 16 }));
    writeFileSync(join(dir, 'run', 'encoder.safetensors'), '');
    const config = validateConfig(
      {
        imageSize: 32,
        encoders: [{ name: 'mine', from: 'byol-run', path: join(dir, 'run') }],
        datasets: [{ name: 'mnist', format: 'imagefolder', train: 'mnist/train', test: 'mnist/test' }],
        protocols: [{ kind: 'knn' }],
        reference: { dataset: 'mnist', protocol: 'knn' },
      },
      'size test',
      DEMO_DATA_DIR,
    );
    expect(checkConfigFiles(config)).toEqual({
      problems: [],
      warnings: ['encoders[mine]: trained on 16px images, evaluated at imageSize 32px (features may be worse)'],
    });
  });
});
