import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { loadConfig, ormOptions } from '#porch/core';

const adminUrl = () => {
  const url = process.env.PORCH_TEST_ADMIN_URL;
  if (!url)
    throw new Error(
      'PORCH_TEST_ADMIN_URL is not set: run tests through `npm test` (Jest global setup)',
    );
  return url;
};

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs every migration into a database (the template, or one a test wants fresh). */
export async function migrate(url: string): Promise<void> {
  const orm = await MikroORM.init({
    ...ormOptions(loadConfig({ ...process.env, DATABASE_URL: url }), url),
    entities: [],
  });
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close(true);
  }
}

/**
 * A database of this test file's own, cloned from a template migrated once per run (the first
 * worker to ask builds it under an advisory lock; cloning is a file copy, ~50 ms).
 */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const run = process.env.PORCH_TEST_RUN ?? 'porch_t';
  const template = `${run}_tpl`;
  const name = `${run}_${randomBytes(5).toString('hex')}`;
  await withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock(7263510)');
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        template,
      ]);
      if (!rowCount) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(template)}`);
        await migrate(databaseUrl(template));
      }
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`,
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock(7263510)');
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdmin((c) =>
        c
          .query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)
          .then(() => undefined),
      ),
  };
}

/** An empty database (no migrations): what `manage migrate` meets on a new server. */
export async function createEmptyDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `${process.env.PORCH_TEST_RUN ?? 'porch_t'}_e${randomBytes(5).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdmin((c) =>
        c
          .query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)
          .then(() => undefined),
      ),
  };
}
