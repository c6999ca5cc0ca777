import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SCHEMA } from './migrations';

// The beat runs on its own thread with its own connection: a cell's long synchronous maths
// (an L-BFGS probe, a wasm or tfjs-node kernel) blocks the main event loop for minutes, and a
// timer there would fall silent exactly when the cell is alive but busy.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { Client } = require(workerData.pgPath);
const { url, id, intervalMs, sql } = workerData;
let client;
let stopped = false;
let wake;
async function beat() {
  if (!client) {
    client = new Client({ connectionString: url, application_name: 'ssl-bench heartbeat' });
    client.on('error', () => {});
    await client.connect();
  }
  await client.query(sql, [id]);
}
(async () => {
  while (!stopped) {
    try {
      await beat();
    } catch (err) {
      parentPort.postMessage({ error: String((err && err.message) || err) });
      if (client) client.end().catch(() => {});
      client = undefined;
    }
    if (stopped) break;
    await new Promise((r) => { wake = r; setTimeout(r, intervalMs); });
  }
  if (client) await client.end().catch(() => {});
  parentPort.postMessage({ stopped: true });
})();
parentPort.on('message', (m) => { if (m === 'stop') { stopped = true; if (wake) wake(); } });
`;

export interface Heartbeat {
  /** Stop beating and close the thread's connection. */
  stop(): Promise<void>;
}

/**
 * Refresh `workers.heartbeat_at` of worker `id` every `intervalSeconds` until stopped or the
 * process dies; another worker takes back this worker's cells once its beat is older than its
 * visibility timeout. Connection errors are reported to `onError` and retried at the next beat.
 */
export function startHeartbeat(
  url: string,
  id: string,
  intervalSeconds: number,
  onError: (message: string) => void,
): Heartbeat {
  const pgPath = createRequire(import.meta.url).resolve('pg');
  const sql = `UPDATE ${SCHEMA}.workers SET heartbeat_at = now() WHERE id = $1`;
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: { url, id, intervalMs: Math.round(intervalSeconds * 1000), sql, pgPath },
  });
  thread.unref();
  let stopped: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => {
    thread.on('message', (m: { error?: string; stopped?: boolean }) => {
      if (m.error) onError(m.error);
      if (m.stopped) resolve();
    });
    thread.on('error', (err) => {
      onError(err.message);
      resolve();
    });
    thread.on('exit', () => resolve());
  });
  return {
    stop() {
      stopped ??= (async () => {
        thread.postMessage('stop');
        await exited;
        await thread.terminate();
      })();
      return stopped;
    },
  };
}
