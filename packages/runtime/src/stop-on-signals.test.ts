import { afterEach, describe, expect, it, vi } from 'vitest';
import { stopOnSignals } from './stop-on-signals';

describe('stopOnSignals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('aborts on the first signal after saying so, exits on the second, and removes its handlers', () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const said: string[] = [];
    const stop = stopOnSignals({ onFirst: (s) => said.push(s) });
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    expect(stop.signal.aborted).toBe(false);

    process.emit('SIGTERM', 'SIGTERM');
    expect(said).toEqual(['SIGTERM']);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.signal.reason).toBe('received SIGTERM');
    expect(stop.received).toBe('SIGTERM');
    expect(stop.exitCode).toBe(143);

    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(said).toEqual(['SIGTERM']);

    stop.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });

  it('reports SIGINT as exit code 130', () => {
    const stop = stopOnSignals({ signals: ['SIGINT'] });
    process.emit('SIGINT', 'SIGINT');
    expect(stop.exitCode).toBe(130);
    stop.dispose();
  });
});
