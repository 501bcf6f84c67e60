import pg from 'pg';

/**
 * Runs `fn` while holding a PostgreSQL session advisory lock named `name`, on a connection of its
 * own (session locks belong to one connection, which a pool would not guarantee).
 */
export async function withAdvisoryLock<T>(
  url: string,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection PostgreSQL drops while `fn` runs emits 'error'; unheard, it would end the
  // process. The lock is then gone with the session, and `fn`'s own queries fail on their own.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    return await fn();
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}
