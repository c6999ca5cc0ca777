import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, type StepReport } from './progress';

const report = (step: number): StepReport => ({
  step,
  totalSteps: 20,
  epoch: 1,
  loss: 1.23456,
  tau: 0.9961,
  lr: 0.0125,
  imagesPerSecond: 321.04,
  etaSeconds: 125,
});

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (t: string) => chunks.push(t) } };
}

describe('createProgress', () => {
  it('prints plain lines every N steps and on the last one when not a terminal', () => {
    const { chunks, stream } = sink(false);
    const p = createProgress(stream, { every: 10 });
    for (let s = 1; s <= 20; s++) p.update(report(s));
    expect(chunks).toEqual([
      'step 10/20 epoch 1 loss 1.2346 tau 0.99610 lr 1.250e-2 321.0 img/s ETA 2m05s\n',
      'step 20/20 epoch 1 loss 1.2346 tau 0.99610 lr 1.250e-2 321.0 img/s ETA 2m05s\n',
    ]);
  });

  it('redraws one bar line on a terminal and keeps messages on their own lines', () => {
    const { chunks, stream } = sink(true);
    const p = createProgress(stream);
    p.update(report(5));
    p.message('warning: collapse');
    p.close();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the progress line is drawn with ANSI escapes
    expect(chunks[0]).toMatch(/^\r\x1b\[2K\[######\.{18}\] step 5\/20 .*ETA 2m05s$/);
    expect(chunks[1]).toBe('\r\x1b[2Kwarning: collapse\n');
    expect(chunks).toHaveLength(2);
  });
});

describe('formatDuration', () => {
  it('uses the largest sensible units', () => {
    expect([formatDuration(7), formatDuration(65), formatDuration(3720), formatDuration(Infinity)]).toEqual([
      '7s',
      '1m05s',
      '1h02m',
      '?',
    ]);
  });
});
