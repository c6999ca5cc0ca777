import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensorsHeader } from '@selfsup/runtime/node';
import { describe, expect, it, vi } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

const root = mkdtempSync(join(tmpdir(), 'byol-cli-'));

describe('selfsup-byol usage errors', () => {
  const base = (out: string, data = root) => [
    'train',
    '--data',
    data,
    '--format',
    'imagefolder',
    '--backbone',
    'convnet',
    '--epochs',
    '1',
    '--batch-size',
    '4',
    '--out',
    out,
  ];

  it.each([
    ['an unknown flag', [...base(join(root, 'a')), '--colour', 'red'], /^selfsup-byol: Unknown option '--colour'/],
    [
      'a bad value',
      [...base(join(root, 'a')), '--width', 'wide'],
      /^selfsup-byol: --width must be a number >= 0, got 'wide'$/,
    ],
    ['an unknown command', ['pretrain'], /^selfsup-byol: unknown command 'pretrain'/],
    [
      'a missing dataset',
      base(join(root, 'a'), join(root, 'no-such-data')),
      /^selfsup-byol: --data .*no-such-data does not exist$/,
    ],
    [
      'an unavailable backend (issue #16)',
      [...base(join(root, 'a')), '--backend', 'tensorflow'],
      /^selfsup-byol: --backend tensorflow: /,
    ],
    [
      'an unwritable --out',
      base(join(root, 'file', 'run')),
      /^selfsup-byol: --out .* cannot be created: .*file is not a writable folder$/,
    ],
  ])('%s: one line, exit 2, nothing written', async (_what, argv, message) => {
    writeFileSync(join(root, 'file'), '');
    const { code, lines } = await run(argv as string[]);
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(readdirSync(root).sort()).toEqual(['file']);
  });

  it('prints the help with exit 0 on --help, and with exit 2 without arguments', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run([])).lines[0]).toContain('--batch-size <int>');
    expect((await run(['--help'])).code).toBe(0);
  });
});

describeWithData('selfsup-byol train on a CIFAR-10 subset', () => {
  it('pretrains, writes the run folder, and refuses to overwrite it without --resume', async () => {
    const out = join(root, 'run');
    const argv = [
      'train',
      '--data',
      dataPath('cifar10'),
      '--format',
      'imagefolder',
      '--split',
      'test',
      '--limit',
      '20',
      '--image-size',
      '8',
      '--backbone',
      'convnet',
      '--width',
      '0.125',
      '--epochs',
      '1',
      '--batch-size',
      '10',
      '--out',
      out,
      '--backend',
      'wasm',
      '--threads',
      '2',
    ];
    const { code, lines } = await run(argv);
    expect(code).toBe(0);
    expect(lines[0]).toBe('backend: wasm on 2 threads (requested explicitly)');
    expect(lines).toContain(`data: 20 images of 8x8x3 from ${dataPath('cifar10')} (test)`);
    expect(readdirSync(out).sort()).toEqual([
      'checkpoint.safetensors',
      'config.json',
      'encoder.safetensors',
      'metrics.jsonl',
      'training.html',
    ]);
    expect((await readSafetensorsHeader(join(out, 'checkpoint.safetensors'))).metadata.step).toBe('2');
    // No recipe flag: auto picks small for 8 px images and config.json records every resolved value.
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.resolvedRecipe).toMatchObject({
      name: 'small',
      requested: 'auto',
      baseTau: 0.99,
      projectorHiddenDim: 1024,
    });
    expect(config.recipe).toBe('auto');
    // Issue #16: a batch larger than the data is bad usage (exit 2), found before anything is written.
    const big = await run([...argv.map((a) => (a === out ? join(root, 'big-batch') : a)), '--batch-size', '30']);
    expect(big.code).toBe(2);
    expect(big.lines.at(-1)).toMatch(
      /^selfsup-byol: --batch-size 30 is larger than the 20 images of .*cifar10 \(test\)$/,
    );
    expect(existsSync(join(root, 'big-batch'))).toBe(false);
    const again = await run(argv);
    expect(again.code).toBe(2);
    expect(again.lines).toEqual([
      `selfsup-byol: --out ${out} already holds a run; continue it with: selfsup-byol resume ${out} (or choose another folder)`,
    ]);
    expect(existsSync(join(out, 'encoder.safetensors'))).toBe(true);
  });
});

describeWithData('selfsup-byol train recipe flags', () => {
  it('--recipe and the head sizes reach the trainer, the picked recipe is said and recorded in config.json', async () => {
    const out = join(root, 'recipe-run');
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      said.push(String(chunk));
      return true;
    });
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run([
        'train',
        '--data',
        dataPath('cifar10'),
        '--format',
        'imagefolder',
        '--split',
        'test',
        '--limit',
        '10',
        '--image-size',
        '8',
        '--backbone',
        'convnet',
        '--width',
        '0.125',
        '--epochs',
        '1',
        '--batch-size',
        '10',
        '--out',
        out,
        '--backend',
        'wasm',
        '--recipe',
        'paper',
        '--proj-hidden',
        '24',
        '--proj-out',
        '12',
        '--pred-hidden',
        '20',
        '--base-tau',
        '0.9',
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(result.code).toBe(0);
    expect(said.join('')).toMatch(
      /recipe paper \(asked for 'paper'; overridden: baseTau, predictorHiddenDim, projectorHiddenDim, projectorOutputDim\): base lr 0\.2 x batch\/256/,
    );
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    // The flags as given, and the resolved recipe (flags folded in) under `resolvedRecipe`.
    expect(config).toMatchObject({
      recipe: 'paper',
      projHidden: 24,
      projOut: 12,
      predHidden: 20,
      baseTau: 0.9,
      lr: null,
    });
    expect(config.resolvedRecipe).toMatchObject({
      name: 'paper',
      requested: 'paper',
      baseLearningRate: 0.2,
      warmupFraction: 0.01,
      baseTau: 0.9,
      projectorHiddenDim: 24,
      projectorOutputDim: 12,
      predictorHiddenDim: 20,
      blur: true,
    });
    const { entries } = await readSafetensorsHeader(join(out, 'checkpoint.safetensors'));
    expect(entries.get('online.projector.0.weight')?.shape[1]).toBe(24);
    expect(entries.get('online.projector.3.weight')?.shape).toEqual([24, 12]);
    expect(entries.get('online.predictor.0.weight')?.shape).toEqual([12, 20]);
  });

  it('--recompute trains a ResNet recomputing its activations in backprop, with the same losses', async () => {
    const train = (out: string, extra: string[]) =>
      run([
        ...['train', '--data', dataPath('cifar10'), '--format', 'imagefolder', '--split', 'test', '--limit', '10'],
        ...['--image-size', '8', '--backbone', 'resnet18', '--width', '0.125', '--epochs', '3', '--batch-size', '5'],
        ...['--out', out, '--backend', 'wasm', ...extra],
      ]);
    const losses = (out: string) =>
      readFileSync(join(out, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((m) => typeof m.loss === 'number')
        .map((m) => m.loss as number);
    const [plain, recomputed] = [join(root, 'plain-run'), join(root, 'recompute-run')];
    expect((await train(plain, [])).code).toBe(0);
    expect((await train(recomputed, ['--recompute'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(recomputed, 'config.json'), 'utf8')).recompute).toBe(true);
    const [a, b] = [losses(plain), losses(recomputed)];
    expect(b).toHaveLength(6);
    b.forEach((loss, i) => expect(loss).toBeCloseTo(a[i], 4));
  }, 120_000);
});
