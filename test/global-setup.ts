import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedDatabase } from '../libs/core/src/database/embedded-postgres.js';

// Jest runs global setup as CommonJS outside its module mapper: load the TypeScript source directly.
type EmbeddedModule = typeof import('../libs/core/src/database/embedded-postgres.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const embedded = require('../libs/core/src/database/embedded-postgres.ts') as EmbeddedModule;
const { startEmbeddedPostgres } = embedded;

declare global {
  var __PORCH_EMBEDDED__: EmbeddedDatabase | undefined;
}

/**
 * One PostgreSQL per test run: DATABASE_URL if set (CI's own server), else an ephemeral embedded
 * one. Test files clone their own database from a migrated template (test/utils/test-app.ts).
 */
export default async function globalSetup(): Promise<void> {
  const run = `porch_t${Date.now().toString(36)}${process.pid}`;
  process.env.PORCH_TEST_RUN = run;
  process.env.LOG_LEVEL ??= 'silent';
  process.env.DEMO_DATA = 'false';
  process.env.CREATE_SUPERUSER = 'false';
  process.env.NODE_ENV = 'test';
  if (process.env.DATABASE_URL) {
    process.env.PORCH_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const db = await startEmbeddedPostgres({
    dataDir: join(tmpdir(), run),
    database: 'postgres',
    ephemeral: true,
  });
  globalThis.__PORCH_EMBEDDED__ = db;
  process.env.PORCH_TEST_ADMIN_URL = db.url;
}
