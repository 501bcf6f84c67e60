import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config.js';
import { REPO_ROOT } from './paths.js';

const knexLogger = new Logger('Database');

export const MIGRATIONS_PATH = join(REPO_ROOT, 'libs/core/src/database/migrations');

/** MikroORM options shared by the API, the manage CLI and the tests. */
export function ormOptions(config: AppConfig, clientUrl: string): Options {
  return defineConfig({
    clientUrl,
    extensions: [Migrator],
    // Under Jest the TypeScript sources are loaded; the built app runs the compiled migrations.
    preferTs: process.env.JEST_WORKER_ID !== undefined,
    migrations: {
      path: join(REPO_ROOT, 'dist/libs/core/src/database/migrations'),
      pathTs: MIGRATIONS_PATH,
      glob: '!(*.d).{js,ts}',
      emit: 'ts',
      // Only `makemigrations` reads and writes the snapshot: left on, every migration run would
      // rewrite it from the live database (tables outside the entities included).
      snapshot: process.env.PORCH_MIGRATIONS_SNAPSHOT === '1',
      snapshotName: '.snapshot-porch',
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      silent: true,
    },
    // Fail fast in an outage (each failure is a 503): a connection that cannot be opened in 5 s,
    // or a pool that stays full for 10 s, is an error rather than a request left hanging.
    pool: { min: 0, max: config.DATABASE_POOL_MAX, acquireTimeoutMillis: 10_000 },
    driverOptions: {
      connection: { connectionTimeoutMillis: 5_000 },
      // knex's notices (a pooled connection PostgreSQL dropped) go to the app's log.
      log: {
        warn: (message: unknown) => knexLogger.warn(String(message)),
        error: (message: unknown) => knexLogger.error(String(message)),
        deprecate: (message: unknown) => knexLogger.warn(String(message)),
        debug: () => undefined,
      },
    },
    replicas: config.DATABASE_REPLICA_URLS.map((url, i) => ({
      name: `replica-${i + 1}`,
      clientUrl: url,
    })),
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    discovery: { warnWhenNoEntities: false },
    // Tables created by a migration, not described by an entity: connect-pg-simple's, and
    // core's Idempotency-Key store (hand-written SQL only).
    schemaGenerator: { skipTables: ['admin_session', 'idempotency_keys'] },
    debug: false,
  });
}
