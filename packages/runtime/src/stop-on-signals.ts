/** What `stopOnSignals` hands a CLI: the signal to pass to the work, and which signal came. */
export interface SignalStop {
  readonly signal: AbortSignal;
  readonly received: NodeJS.Signals | undefined;
  /** The exit code a CLI returns after stopping on a signal: 130 for SIGINT, 143 for SIGTERM. */
  readonly exitCode: number;
  dispose(): void;
}

const exitCodeOf = (signal: NodeJS.Signals | undefined) => (signal === 'SIGTERM' ? 143 : 130);

/**
 * The CLIs' one signal handling (libraries never install process-wide handlers: they take an
 * `AbortSignal`). The first SIGINT / SIGTERM calls `onFirst` (to say what happens next) and
 * aborts `signal`, so the work saves what it has and returns; a second one exits at once, as
 * users expect of Ctrl-C pressed twice.
 */
export function stopOnSignals(
  options: { onFirst?: (signal: NodeJS.Signals) => void; signals?: NodeJS.Signals[] } = {},
): SignalStop {
  const { onFirst, signals = ['SIGINT', 'SIGTERM'] } = options;
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      process.exit(exitCodeOf(signal));
      return;
    }
    received = signal;
    onFirst?.(signal);
    controller.abort(`received ${signal}`);
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    get exitCode() {
      return exitCodeOf(received);
    },
    dispose() {
      for (const s of signals) process.off(s, handler);
    },
  };
}
