/**
 * Tests against a real PostgreSQL server. One setting, SELFSUP_PG_URL (a superuser URL such as
 * postgresql://postgres@127.0.0.1:5432/postgres; `.ci/run` starts a throw-away cluster and sets
 * it). Without it, these tests are skipped with a message; with SELFSUP_REQUIRE_PG=1 (set by
 * `.ci/run`) a missing URL is an error, so CI never skips them. Each test file works in a fresh
 * database of its own, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

export const PG_URL = process.env.SELFSUP_PG_URL;

const HOW_TO_GET =
  'set SELFSUP_PG_URL to a PostgreSQL superuser URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres); ' +
  '`apt-get install postgresql`, then as the postgres user `initdb -D <dir>` and `pg_ctl -D <dir> -o "-p 5432" start`, ' +
  'or run .ci/run, which does this in a temp folder';

function available(): boolean {
  if (PG_URL) return true;
  if (process.env.SELFSUP_REQUIRE_PG === '1') {
    throw new Error(`SELFSUP_REQUIRE_PG=1 but SELFSUP_PG_URL is not set; ${HOW_TO_GET}`);
  }
  console.warn(`[selfsup] skipping tests on PostgreSQL: SELFSUP_PG_URL is not set; ${HOW_TO_GET}`);
  return false;
}

/** A `describe` that runs only when a PostgreSQL server is given. */
export function describeWithPostgres(name: string, fn: () => void): void {
  describe.skipIf(!available())(name, fn);
}

/** A new empty database on the test server; `drop()` removes it (connections included). */
export async function createTestDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!PG_URL) throw new Error('createTestDatabase: SELFSUP_PG_URL is not set');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
