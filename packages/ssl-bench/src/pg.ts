/**
 * `@selfsup/ssl-bench/pg`: the benchmark on a PostgreSQL store and pg-boss queue, for programs
 * (the CLI's submit, worker and status). A separate entry so `@selfsup/ssl-bench` loads no
 * PostgreSQL driver.
 */
export { PgStore } from './pg/pg-store';
export { submitConfig } from './pg/submit';
export type { SubmitOptions, SubmitResult } from './pg/submit';
export { runWorker } from './pg/worker';
export type { WorkerOptions, WorkerSummary } from './pg/worker';
export { formatStatus, runStatus } from './pg/status';
export type { RunStatus, WorkerState } from './pg/status';
export { LATEST_VERSION, MIGRATIONS } from './pg/migrations';
export { mapDataPaths, parseDataRoot } from './data-root';
export type { DataRoot } from './data-root';
