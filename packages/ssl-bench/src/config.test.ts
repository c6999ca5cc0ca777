import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, validateConfig } from './config';

const minimal = {
  encoders: [{ name: 'random', from: 'random', backbone: { arch: 'convnet' } }],
  datasets: [{ name: 'mnist', format: 'imagefolder', train: 'mnist/train', test: 'mnist/test' }],
  protocols: [{ kind: 'linear' }, { kind: 'fewshot', shots: [5, 20] }],
  reference: { dataset: 'mnist', protocol: 'linear' },
};

function problems(raw: unknown): string[] {
  try {
    validateConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('validateConfig', () => {
  it('fills defaults for a minimal config', () => {
    const cfg = validateConfig(minimal, 'x.yaml', '/base');
    expect(cfg).toMatchObject({ seed: 0, imageSize: 32, backend: 'auto', baseDir: '/base' });
    expect(cfg.encoders[0]).toEqual({ name: 'random', from: 'random', backbone: { arch: 'convnet' } });
  });

  it('reports every problem at once, each with its path, value and what was expected', () => {
    const bad = {
      ...minimal,
      seed: -1,
      encoders: [
        { name: 'a', from: 'byol', backbone: { arch: 'vgg' }, pretrain: { dataset: 'nope', epochs: 0, batchSize: 64 } },
        { name: 'a', from: 'teleport' },
      ],
      protocols: [
        { kind: 'knn', k: 0 },
        { kind: 'linear', extra: 1 },
      ],
      reference: { dataset: 'mnist', protocol: 'fewshot' },
    };
    expect(problems(bad)).toEqual([
      'seed: expected an integer >= 0, got -1',
      'encoders[0].backbone.arch: expected one of convnet | resnet18 | resnet34 | resnet50, got "vgg"',
      'encoders[0].pretrain.dataset: expected a dataset name (mnist), got "nope"',
      'encoders[0].pretrain.epochs: expected a number > 0, got 0',
      'encoders[1].from: expected one of random | byol-run | torchvision | onnx | byol | supervised, got "teleport"',
      "encoders[1].name: 'a' is used twice",
      'protocols[0].k: expected an integer >= 1, got 0',
      'protocols[1].extra: unknown key (allowed: kind, cGrid, metric)',
      'reference.protocol: expected one of linear | knn, got "fewshot"',
    ]);
  });

  it('takes BYOL snapshots of a longer schedule (scheduleEpochs >= epochs), for BYOL only', () => {
    const byol = (pretrain: object) => ({ name: 'b', from: 'byol', backbone: { arch: 'convnet' }, pretrain });
    const ok = validateConfig(
      { ...minimal, encoders: [byol({ dataset: 'mnist', epochs: 10, batchSize: 64, scheduleEpochs: 100 })] },
      'x.yaml',
      '/base',
    );
    expect(ok.encoders[0]).toMatchObject({ pretrain: { epochs: 10, scheduleEpochs: 100 } });
    expect(
      problems({
        ...minimal,
        encoders: [
          byol({ dataset: 'mnist', epochs: 10, batchSize: 64, scheduleEpochs: 5 }),
          { ...byol({ dataset: 'mnist', epochs: 1, batchSize: 64, scheduleEpochs: 2 }), name: 's', from: 'supervised' },
        ],
      }),
    ).toEqual([
      'encoders[0].pretrain.scheduleEpochs: expected an integer >= epochs (10), got 5',
      'encoders[1].pretrain.scheduleEpochs: unknown key (allowed: dataset, epochs, batchSize, lr, limit)',
    ]);
  });

  it('takes ONNX encoders with their preprocessing, and keeps them out of fine-tuning', () => {
    const onnx = {
      name: 'r50',
      from: 'onnx',
      path: 'r50.onnx',
      layout: 'NCHW',
      mean: [0.485, 0.456, 0.406],
      std: [0.2],
    };
    expect(validateConfig({ ...minimal, encoders: [onnx] }).encoders[0]).toEqual(onnx);
    const bad = { name: 'x', from: 'onnx', path: 'x.onnx', layout: 'CHW', mean: [0, 1], std: [0], backbone: {} };
    expect(problems({ ...minimal, encoders: [bad] })).toEqual([
      'encoders[0].backbone: unknown key (allowed: name, from, reference, path, layout, mean, std)',
      'encoders[0].layout: expected one of NCHW | NHWC, got "CHW"',
      'encoders[0].mean: expected 1 or 3 numbers (per channel), got [0,1]',
      'encoders[0].std[0]: expected a number > 0, got 0',
    ]);
    expect(problems({ ...minimal, encoders: [onnx], protocols: [{ kind: 'linear' }, { kind: 'finetune' }] })).toEqual([
      "encoders[0]: 'r50' is an ONNX model, which protocols[1] (finetune) cannot train; fine-tuning needs a trainable tfjs model (give the same weights as from: torchvision, or drop finetune)",
    ]);
  });

  it("takes a random encoder's input standardisation: a dataset's statistics or explicit mean and std", () => {
    const random = (extra: object) => ({ name: 'random', from: 'random', backbone: { arch: 'convnet' }, ...extra });
    expect(validateConfig({ ...minimal, encoders: [random({ normalize: 'mnist' })] }).encoders[0]).toEqual(
      random({ normalize: 'mnist' }),
    );
    const explicit = random({ mean: [0.5], std: [0.25, 0.5, 0.5] });
    expect(validateConfig({ ...minimal, encoders: [explicit] }).encoders[0]).toEqual(explicit);
    expect(
      problems({
        ...minimal,
        encoders: [
          random({ normalize: 'cifar10' }),
          { ...random({ mean: [0.5] }), name: 'b' },
          { ...random({ normalize: 'mnist', mean: [0.5], std: [0] }), name: 'c' },
        ],
      }),
    ).toEqual([
      'encoders[0].normalize: expected a dataset name (mnist), got "cifar10"',
      'encoders[1].std: expected std too (mean and std go together), got nothing',
      'encoders[2].std[0]: expected a number > 0, got 0',
      'encoders[2].normalize: expected no normalize beside mean and std (one standardisation), got "mnist"',
    ]);
  });

  it('takes the analyses of what the features retain, each limited to some datasets if asked', () => {
    const protocols = [
      { kind: 'linear' },
      { kind: 'calibration', cGrid: [1, 0.1], bins: 10 },
      { kind: 'colour', datasets: ['mnist'] },
      { kind: 'inversion', images: 2, steps: 10, learningRate: 0.1, tvWeight: 5, datasets: ['mnist'] },
      { kind: 'saliency', reference: 'random', images: 4, topFraction: 0.2 },
    ];
    expect(validateConfig({ ...minimal, protocols }).protocols).toEqual(protocols);
    const bad = [
      { kind: 'linear' },
      { kind: 'calibration', bins: 0, steps: 3 },
      { kind: 'inversion', datasets: ['nope'], tvWeight: -1 },
      { kind: 'saliency', reference: 'nobody', topFraction: 0 },
    ];
    const onnx = { name: 'r50', from: 'onnx', path: 'r50.onnx' };
    expect(problems({ ...minimal, encoders: [onnx], protocols: bad })).toEqual([
      'protocols[1].steps: unknown key (allowed: kind, datasets, cGrid, bins)',
      'protocols[1].bins: expected an integer >= 1, got 0',
      'protocols[2].tvWeight: expected a number >= 0, got -1',
      'protocols[2].datasets[0]: expected a dataset name (mnist), got "nope"',
      'protocols[3].topFraction: expected a number in (0, 1], got 0',
      'protocols[3].reference: expected an encoder name (r50), got "nobody"',
      "encoders[0]: 'r50' is an ONNX model, which protocols[2] (inversion) cannot differentiate; it needs a tfjs model (give the same weights as from: torchvision, or drop it)",
      "encoders[0]: 'r50' is an ONNX model, which protocols[3] (saliency) cannot differentiate; it needs a tfjs model (give the same weights as from: torchvision, or drop it)",
    ]);
  });

  it('requires IDX splits as { images, labels }', () => {
    const cfg = { ...minimal, datasets: [{ name: 'mnist', format: 'idx', train: 'a.gz', test: { images: 'x' } }] };
    expect(problems(cfg)).toEqual([
      'datasets[0].train: expected an object, got "a.gz"',
      'datasets[0].test.labels: expected a non-empty string, got nothing',
    ]);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-config-'));

  it('reads YAML and JSON, resolving paths against the file', () => {
    const yaml = join(dir, 'bench.yaml');
    writeFileSync(
      yaml,
      'seed: 3\nencoders:\n  - { name: r, from: random, backbone: { arch: resnet18, width: 0.5 } }\ndatasets:\n  - { name: m, format: imagefolder, train: a, test: b }\nprotocols:\n  - kind: knn\nreference: { dataset: m, protocol: knn }\n',
    );
    expect(loadConfig(yaml)).toMatchObject({
      seed: 3,
      baseDir: dir,
      encoders: [{ backbone: { arch: 'resnet18', width: 0.5 } }],
    });
    const json = join(dir, 'bench.json');
    writeFileSync(json, JSON.stringify(minimal));
    expect(loadConfig(json).datasets[0].name).toBe('mnist');
  });

  it('names the file in parse and read errors', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "seed": ');
    expect(() => loadConfig(broken)).toThrow(/broken.json: invalid config:\n {2}- cannot parse JSON/);
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(/missing.yaml: invalid config:\n {2}- cannot read/);
  });
});
