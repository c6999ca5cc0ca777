/** What the trainer reports after each step. */
export interface StepReport {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  tau: number;
  lr: number;
  /** Images per second over the steps since the previous report, counting each image once (it gives two views). */
  imagesPerSecond: number;
  etaSeconds: number;
}

export interface ProgressOptions {
  /** Draw a one-line bar redrawn in place (a terminal) or print plain lines (logs, CI). Default: `stream.isTTY`. */
  tty?: boolean;
  /** Plain mode: print one line every this many steps (and on the last). Default 10. */
  every?: number;
}

export interface Progress {
  update(report: StepReport): void;
  /** A message on its own line (warnings, monitor results) without garbling the bar. */
  message(text: string): void;
  /** End the bar's line. */
  close(): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function describe(r: StepReport): string {
  return (
    `step ${r.step}/${r.totalSteps} epoch ${r.epoch} loss ${r.loss.toFixed(4)} tau ${r.tau.toFixed(5)} ` +
    `lr ${r.lr.toExponential(3)} ${r.imagesPerSecond.toFixed(1)} img/s ETA ${formatDuration(r.etaSeconds)}`
  );
}

const BAR_WIDTH = 24;

/** Progress on a terminal (a bar with loss, τ, lr, images/s, ETA) or as plain log lines. */
export function createProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  options: ProgressOptions = {},
): Progress {
  const tty = options.tty ?? Boolean(stream.isTTY);
  const every = options.every ?? 10;
  let barShown = false;
  return {
    update(r) {
      if (tty) {
        const filled = Math.round((BAR_WIDTH * r.step) / Math.max(1, r.totalSteps));
        const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
        stream.write(`\r\x1b[2K[${bar}] ${describe(r)}`);
        barShown = true;
      } else if (r.step % every === 0 || r.step === r.totalSteps) {
        stream.write(`${describe(r)}\n`);
      }
    },
    message(text) {
      // The message replaces the bar's line; the next update redraws the bar below it.
      stream.write(tty && barShown ? `\r\x1b[2K${text}\n` : `${text}\n`);
      barShown = false;
    },
    close() {
      if (tty && barShown) stream.write('\n');
      barShown = false;
    },
  };
}
