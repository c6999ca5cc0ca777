import { createStatusLine, formatDuration } from '@selfsup/byol';

export interface BenchProgress {
  /** A cell (or a preparation step such as pretraining) starts. */
  start(label: string): void;
  /** It finished; `reused` when the results store already had it; `score` is its result in words (e.g. `87.5%`). */
  done(label: string, seconds: number, reused: boolean, score?: string): void;
  message(text: string): void;
  close(): void;
}

/** Cells done / total with an ETA, as a bar redrawn in place on a terminal or as plain lines in logs. */
export function createBenchProgress(
  total: number,
  stream: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean } = process.stderr,
): BenchProgress {
  const status = createStatusLine(stream);
  const began = Date.now();
  let finished = 0;
  let computed = 0;
  let computeSeconds = 0;
  const line = (label: string) => {
    const eta = computed ? (computeSeconds / computed) * (total - finished) : Number.NaN;
    return `[${finished}/${total}] ${label} (elapsed ${formatDuration((Date.now() - began) / 1000)}, ETA ${formatDuration(eta)})`;
  };
  return {
    start(label) {
      status.show(line(`${label} …`));
    },
    done(label, seconds, reused, score) {
      finished++;
      if (!reused) {
        computed++;
        computeSeconds += seconds;
      }
      const result = score === undefined ? '' : `: ${score}`;
      // Each score stays on screen: a finished cell gets its own line even on a terminal.
      status.message(
        line(
          `${label}${result} ${reused ? '(reused from the results store)' : `(done in ${formatDuration(seconds)})`}`,
        ),
      );
    },
    message: (text) => status.message(text),
    close: () => status.close(),
  };
}
