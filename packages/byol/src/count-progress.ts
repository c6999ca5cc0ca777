import { createStatusLine, progressBar } from './progress';

/** `label [#####.....] done/total (note)` on the status line of a terminal; in logs a line at every quarter. */
export function createCountProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  label: string,
): { update(done: number, total: number, note?: string): void; close(): void } {
  const tty = Boolean(stream.isTTY);
  const line = createStatusLine(stream, tty);
  let quarter = 0;
  return {
    update(done, total, note) {
      const tail = note ? ` (${note})` : '';
      if (tty) return line.show(`${label} ${progressBar(done, total)} ${done}/${total}${tail}`);
      const q = Math.floor((4 * done) / Math.max(1, total));
      if (q > quarter) {
        quarter = q;
        line.show(`${label} ${done}/${total}${tail}`);
      }
    },
    close: () => line.close(),
  };
}
