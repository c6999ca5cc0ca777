/**
 * The CLI's signal handling (the library never installs process-wide handlers:
 * `trainByol` takes an `AbortSignal`). The first SIGINT / SIGTERM aborts `signal`,
 * so the loop writes its checkpoint and returns; a second one exits at once, as users expect.
 */
export function abortOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): {
  readonly signal: AbortSignal;
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
} {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(signal === 'SIGINT' ? 130 : 143);
    received = signal;
    controller.abort(`received ${signal}`);
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const s of signals) process.off(s, handler);
    },
  };
}
