import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackbone } from '@selfsup/backbones';
import { saveTorchvisionWeights } from '@selfsup/backbones/node';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './cli';
import { DEMO_DATA_DIR } from './demo-config';

const root = mkdtempSync(join(tmpdir(), 'ssl-bench-eval-'));

async function run(argv: string[]): Promise<{ code: number; lines: string[]; stdout: string }> {
  const lines: string[] = [];
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await main(argv, (line) => lines.push(line));
    return { code, lines, stdout };
  } finally {
    spy.mockRestore();
  }
}

describe('ssl-bench eval on the bundled MNIST subset', () => {
  const runDir = join(root, 'byol-run');
  const weights = join(root, 'convnet.safetensors');

  beforeAll(async () => {
    await initBackend('wasm');
    // A run folder as selfsup-byol writes it (config.json + torchvision-layout encoder.safetensors),
    // holding the same weights as the seed-0 random init: both rows must then agree exactly.
    mkdirSync(runDir);
    const encoder = createBackbone({ arch: 'convnet', widthMultiplier: 0.25, seed: 0 });
    await saveTorchvisionWeights(encoder, join(runDir, 'encoder.safetensors'));
    await saveTorchvisionWeights(encoder, weights);
    encoder.dispose();
    writeFileSync(
      join(runDir, 'config.json'),
      JSON.stringify({ backbone: 'convnet', stem: 'cifar', width: 0.25, imageSize: 16, seed: 0 }),
    );
  });

  it('prints linear, kNN and few-shot accuracy beside random init, with no config file', async () => {
    const { code, lines, stdout } = await run([
      ...['eval', '--encoder', runDir, '--data', join(DEMO_DATA_DIR, 'mnist'), '--per-class', '10'],
      ...['--backend', 'wasm', '--threads', '1'],
    ]);
    expect(code).toBe(0);
    const table = stdout.trim().split('\n');
    expect(table[0]).toBe('accuracy (%) on mnist');
    // 30 test images per digit: room for 5-shot with 15 queries, not for 20-shot.
    expect(table[1].split(/\s{2,}/)).toEqual(['encoder', 'linear', 'knn', 'fewshot-5way-5shot']);
    const byol = table[3].split(/\s{2,}/);
    const random = table[4].split(/\s{2,}/);
    expect(byol[0]).toBe('byol-run');
    expect(random[0]).toBe('random init');
    // Same weights, same numbers; each an accuracy in % (few-shot with its 95% CI).
    expect(byol.slice(1)).toEqual(random.slice(1));
    expect(Number(byol[1])).toBeGreaterThan(20);
    expect(byol[3]).toMatch(/^\d+\.\d ± \d+\.\d$/);
    // Each cell's score is printed as it finishes (the progress goes to stderr).
    expect(lines).toEqual([]);
  });

  it('compares a run that standardises its inputs with random init standardised the same way', async () => {
    const standardised = join(root, 'standardised-run');
    mkdirSync(standardised);
    copyFileSync(join(runDir, 'encoder.safetensors'), join(standardised, 'encoder.safetensors'));
    const config = { backbone: 'convnet', stem: 'cifar', width: 0.25, imageSize: 16, seed: 0 };
    writeFileSync(join(standardised, 'config.json'), JSON.stringify({ ...config, inputMean: [0.2], inputStd: [0.3] }));
    const { code, stdout } = await run([
      ...['eval', '--encoder', standardised, '--data', join(DEMO_DATA_DIR, 'mnist'), '--per-class', '10'],
      ...['--backend', 'wasm', '--threads', '1'],
    ]);
    expect(code).toBe(0);
    const table = stdout.trim().split('\n');
    const row = (name: string) => table.map((l) => l.split(/\s{2,}/)).find((cells) => cells[0] === name)!;
    const [mine, random] = [row('standardised-run'), row('random init')];
    // Its own initialisation: the same weights and the same standardisation give the same numbers.
    expect(mine.slice(1)).toEqual(random.slice(1));
  });

  it('takes a .safetensors file with --backbone; warns when evaluated at another image size than trained', async () => {
    const { code, stdout } = await run([
      ...['eval', '--encoder', weights, '--backbone', 'convnet', '--width', '0.25', '--no-baseline'],
      ...['--data', join(DEMO_DATA_DIR, 'dtd10'), '--per-class', '5', '--image-size', '16', '--backend', 'wasm'],
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nconvnet\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d ± \d+\.\d\n?$/);
    const warned = await run([
      ...['eval', '--encoder', runDir, '--no-baseline', '--image-size', '8'],
      ...['--data', join(DEMO_DATA_DIR, 'dtd10'), '--per-class', '5', '--backend', 'wasm'],
    ]);
    expect(warned.lines).toContain('warning: the encoder was trained on 16px images and is evaluated at 8px');
  });

  it('a folder of class folders only: every 5th image of each class is held out for testing', async () => {
    const { code, lines, stdout } = await run([
      ...['eval', '--encoder', runDir, '--no-baseline', '--data', join(DEMO_DATA_DIR, 'mnist', 'test')],
      ...['--backend', 'wasm', '--threads', '1'],
    ]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      `note: ${join(DEMO_DATA_DIR, 'mnist', 'test')} has no train/ and test/: every 5th image of each class (sorted by name) is held out for testing`,
    ]);
    // 30 images per digit: 24 to train, 6 to test, enough for 5-way 5-shot with one query.
    const table = stdout.trim().split('\n');
    expect(table[0]).toBe('accuracy (%) on test');
    expect(table[1].split(/\s{2,}/)).toEqual(['encoder', 'linear', 'knn', 'fewshot-5way-5shot']);
  });

  it('Ctrl-C stops after the cell in progress and leaves no temporary folder behind', async () => {
    const temporaries = () =>
      readdirSync(tmpdir())
        .filter((n) => n.startsWith('ssl-bench-eval-'))
        .sort();
    const before = temporaries();
    // The first progress line means a cell is under way: press Ctrl-C then.
    let pressed = false;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => {
      if (!pressed) {
        pressed = true;
        process.emit('SIGINT', 'SIGINT');
      }
      return true;
    });
    try {
      const { code, lines } = await run([
        ...['eval', '--encoder', runDir, '--data', join(DEMO_DATA_DIR, 'mnist', 'test'), '--backend', 'wasm'],
      ]);
      expect(pressed).toBe(true);
      expect(code).toBe(130);
      expect(lines).toContain('\nSIGINT: stopping after the current cell');
    } finally {
      stderr.mockRestore();
    }
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(temporaries()).toEqual(before);
  });

  it('user mistakes: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--data', DEMO_DATA_DIR], /^ssl-bench: --encoder is required/],
      [['--encoder', runDir, '--data', join(root, 'none')], /--data .*none is not a folder/],
      [
        ['--encoder', runDir, '--data', DEMO_DATA_DIR],
        /needs train\/ and test\/ sub-folders with one folder per class, or at least two class folders of images; it has cifar10, dtd10, fashion-mnist, mnist/,
      ],
      [
        ['--encoder', weights, '--data', join(DEMO_DATA_DIR, 'mnist')],
        /--backbone is required with a \.safetensors encoder/,
      ],
      [
        ['--encoder', root, '--data', join(DEMO_DATA_DIR, 'mnist')],
        /--encoder: .* is not a selfsup-byol run folder: .*config\.json is missing/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, lines } = await run(['eval', ...argv]);
      expect({ code, lines }).toEqual({ code: 2, lines: [expect.stringMatching(message)] });
    }
  });
});
