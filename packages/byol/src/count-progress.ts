const BAR_WIDTH = 24;

/** `label [#####.....] done/total (note)` redrawn in place on a terminal; in logs a line at every quarter. */
export function createCountProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  label: string,
): { update(done: number, total: number, note?: string): void; close(): void } {
  const tty = Boolean(stream.isTTY);
  let quarter = 0;
  let shown = false;
  return {
    update(done, total, note) {
      const tail = note ? ` (${note})` : '';
      if (tty) {
        const filled = Math.round((BAR_WIDTH * done) / Math.max(1, total));
        stream.write(
          `\r\x1b[2K${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}${tail}`,
        );
        shown = true;
        return;
      }
      const q = Math.floor((4 * done) / Math.max(1, total));
      if (q > quarter) {
        quarter = q;
        stream.write(`${label} ${done}/${total}${tail}\n`);
      }
    },
    close() {
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}
