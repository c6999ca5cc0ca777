import { describe, expect, it } from 'vitest';
import { helpText, parseTrainArgs, UsageError } from './cli-args';

const REQUIRED = [
  '--data',
  '/d',
  '--format',
  'cifar',
  '--backbone',
  'convnet',
  '--epochs',
  '2',
  '--batch-size',
  '8',
  '--out',
  '/o',
];

describe('parseTrainArgs', () => {
  it('fills the documented defaults', () => {
    const c = parseTrainArgs(REQUIRED);
    expect(c).toMatchObject({
      data: '/d',
      format: 'cifar',
      split: null,
      skipBadImages: false,
      limit: null,
      backbone: 'convnet',
      stem: 'cifar',
    });
    expect(c).toMatchObject({ width: 1, epochs: 2, batchSize: 8, lr: null, seed: 0, resume: false });
    // The images' own size and their per-channel statistics, resolved when the data is loaded.
    expect(c).toMatchObject({ imageSize: null, normalize: 'data', inputMean: null, inputStd: null });
    expect(parseTrainArgs([...REQUIRED, '--input-mean', '0.5,0.4,0.3', '--input-std', '0.2'])).toMatchObject({
      inputMean: [0.5, 0.4, 0.3],
      inputStd: [0.2],
    });
    expect(() => parseTrainArgs([...REQUIRED, '--input-mean', '0.5,x', '--input-std', '1'])).toThrow(
      "--input-mean must be comma-separated numbers, got '0.5,x'",
    );
    expect(() => parseTrainArgs([...REQUIRED, '--input-mean', '0.5', '--input-std', '0'])).toThrow(
      "--input-std must be comma-separated numbers > 0, got '0'",
    );
    expect(() => parseTrainArgs([...REQUIRED, '--input-mean', '0.5,0.5', '--input-std', '1,1,1'])).toThrow(
      '--input-mean has 2 values but --input-std has 3',
    );
    // Recipe values default to null: the resolved recipe fills them (config.json's `recipe`).
    expect(c).toMatchObject({
      recipe: 'auto',
      weightDecay: null,
      baseTau: null,
      warmupFraction: null,
      projHidden: null,
      projOut: null,
      predHidden: null,
      backend: 'auto',
      monitorSplit: null,
    });
  });

  it('reads the recipe and head-size flags', () => {
    const c = parseTrainArgs([
      ...REQUIRED,
      '--recipe',
      'paper',
      '--proj-hidden',
      '512',
      '--proj-out=64',
      '--pred-hidden',
      '256',
      '--base-tau',
      '0.98',
      '--warmup-fraction',
      '0.05',
      '--weight-decay',
      '0',
    ]);
    expect(c).toMatchObject({
      recipe: 'paper',
      projHidden: 512,
      projOut: 64,
      predHidden: 256,
      baseTau: 0.98,
      warmupFraction: 0.05,
      weightDecay: 0,
    });
  });

  it('reads every kind of flag, in both --flag value and --flag=value forms', () => {
    const c = parseTrainArgs([
      ...REQUIRED,
      '--lr=0.05',
      '--limit',
      '100',
      '--resume',
      '--stem',
      'imagenet',
      '--width',
      '0.5',
      '--monitor-split',
      'test',
    ]);
    expect(c).toMatchObject({ lr: 0.05, limit: 100, resume: true, stem: 'imagenet', width: 0.5, monitorSplit: 'test' });
  });

  it.each([
    [['--bogus', '1'], /Unknown option '--bogus'/],
    [['--epochs', 'two'], /--epochs must be an integer >= 1, got 'two'/],
    [['--epochs', '1.5'], /--epochs must be an integer >= 1, got '1.5'/],
    [['--batch-size', '1'], /--batch-size must be an integer >= 2, got '1'/],
    [['--format', 'png'], /--format must be one of cifar, idx, imagefolder, images, got 'png'/],
    [['--backbone', 'vit'], /--backbone must be one of convnet, resnet18, resnet34, resnet50, got 'vit'/],
    [['--base-tau', '1.5'], /--base-tau must be in \[0, 1\], got 1.5/],
    [['--width', '0'], /--width must be > 0, got 0/],
    [['--lr=-1'], /--lr must be a number >= 0, got '-1'/],
    [['--recipe', 'imagenet'], /--recipe must be one of paper, small, auto, got 'imagenet'/],
    [['--proj-hidden', '0'], /--proj-hidden must be an integer >= 1, got '0'/],
    [['--pred-hidden', '1.5'], /--pred-hidden must be an integer >= 1, got '1.5'/],
  ])('rejects %j with a message naming the flag and value', (extra, message) => {
    expect(() => parseTrainArgs([...REQUIRED, ...extra])).toThrow(UsageError);
    expect(() => parseTrainArgs([...REQUIRED, ...extra])).toThrow(message);
  });

  it('numbers are strict decimal, and a negative one after a space reaches its range check (issue #16)', () => {
    const without = (flag: string) => {
      const i = REQUIRED.indexOf(flag);
      return [...REQUIRED.slice(0, i), ...REQUIRED.slice(i + 2)];
    };
    const cases: Array<[string[], RegExp]> = [
      [[...without('--epochs'), '--epochs', '-1'], /^--epochs must be an integer >= 1, got '-1'$/],
      [[...without('--epochs'), '--epochs', '0x1'], /^--epochs must be an integer >= 1, got '0x1'$/],
      [[...REQUIRED, '--seed', '1e20'], /^--seed must be an integer >= 0, got '1e20'$/],
      [[...REQUIRED, '--seed', '100000000000000000000'], /^--seed must be an integer >= 0, got '1000/],
      [[...REQUIRED, '--lr', '-0.5'], /^--lr must be a number >= 0, got '-0.5'$/],
      [[...REQUIRED, '--lr', 'Infinity'], /^--lr must be a number >= 0, got 'Infinity'$/],
      [[...REQUIRED, '--width', ' '], /^--width must be a number >= 0, got ' '$/],
    ];
    for (const [argv, message] of cases) expect(() => parseTrainArgs(argv), argv.join(' ')).toThrow(message);
    expect(parseTrainArgs([...REQUIRED, '--lr', '1e-3', '--seed', '+7'])).toMatchObject({ lr: 0.001, seed: 7 });
  });

  it('names a missing required flag', () => {
    expect(() => parseTrainArgs(REQUIRED.slice(2))).toThrow('--data is required');
  });
});

describe('helpText', () => {
  it('documents every flag with its default or as required', () => {
    const text = helpText();
    for (const flag of [
      'data',
      'format',
      'split',
      'limit',
      'backbone',
      'stem',
      'width',
      'image-size',
      'epochs',
      'batch-size',
      'lr',
      'recipe',
      'proj-hidden',
      'proj-out',
      'pred-hidden',
      'seed',
      'out',
      'resume',
    ]) {
      expect(text).toMatch(new RegExp(`--${flag}\\b.*\\((default: |required)`));
    }
    expect(text).toContain('paper 0.2 x batch-size / 256, small 2 x batch-size / 256');
    expect(text).toContain('paper 0.996, small 0.99');
  });
});
