/**
 * Turn SIGINT / SIGTERM into a flag the training loop checks between steps, so a
 * stopped run first writes its checkpoint. A second signal exits at once, as users expect.
 */
export function stopOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): {
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
} {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(signal === 'SIGINT' ? 130 : 143);
    received = signal;
  };
  for (const s of signals) process.on(s, handler);
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const s of signals) process.off(s, handler);
    },
  };
}
