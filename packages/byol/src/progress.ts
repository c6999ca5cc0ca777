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

/** `[#####.....]`: the share `done / total` as a bar of BAR_WIDTH characters. */
export function progressBar(done: number, total: number): string {
  const filled = Math.round((BAR_WIDTH * done) / Math.max(1, total));
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

/** One status line: redrawn in place on a terminal, plain lines in logs. */
export interface StatusLine {
  /** Show `text` as the current status (a new line each time when not a terminal). */
  show(text: string): void;
  /** A message on its own line (warnings, results) without garbling the status. */
  message(text: string): void;
  /** End the status line. */
  close(): void;
}

/** The one progress line of both CLIs (`selfsup-byol` steps, `ssl-bench` cells). */
export function createStatusLine(
  stream: { write(text: string): unknown; isTTY?: boolean },
  tty = Boolean(stream.isTTY),
): StatusLine {
  let shown = false;
  return {
    show(text) {
      stream.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
      shown = tty;
    },
    message(text) {
      // The message replaces the status line; the next show() redraws it below.
      stream.write(shown ? `\r\x1b[2K${text}\n` : `${text}\n`);
      shown = false;
    },
    close() {
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}

/** Progress on a terminal (a bar with loss, τ, lr, images/s, ETA) or as plain log lines. */
export function createProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  options: ProgressOptions = {},
): Progress {
  const tty = options.tty ?? Boolean(stream.isTTY);
  const every = options.every ?? 10;
  const line = createStatusLine(stream, tty);
  return {
    update(r) {
      if (tty) {
        line.show(`${progressBar(r.step, r.totalSteps)} ${describe(r)}`);
      } else if (r.step % every === 0 || r.step === r.totalSteps) {
        line.show(describe(r));
      }
    },
    message: (text) => line.message(text),
    close: () => line.close(),
  };
}
