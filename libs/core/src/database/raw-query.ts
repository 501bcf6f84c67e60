import { createHash } from 'node:crypto';
import { type Configuration, TransactionContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

/** Statement text → its prepared statement (name and `$n` text); bounded by the app's SQL. */
const prepared = new Map<string, { name: string; text: string }>();
const MAX_PREPARED = 500;

/** `?` placeholders → `$1…`, and a name derived from the text (the same on every connection). */
function prepare(sql: string): { name: string; text: string } | undefined {
  let statement = prepared.get(sql);
  if (!statement) {
    if (sql.includes('??') || sql.includes('\\?') || prepared.size >= MAX_PREPARED)
      return undefined;
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const name = `porch_${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`;
    statement = { name, text };
    prepared.set(sql, statement);
  }
  return statement;
}

/** The statement pool of each ORM (by its configuration, which its forks share). */
const pools = new WeakMap<Configuration, pg.Pool>();

/**
 * A `pg` pool for `rawQuery`'s prepared statements, owned by the database module (which ends it
 * at shutdown). Same server, same type parsers as MikroORM's own connections (timestamps and
 * intervals as text, as `em.execute()` returns them), through MikroORM's public
 * `getConnectionOptions()`; `url` is the one the ORM was configured with.
 */
export function createStatementPool(em: EntityManager, url: string, max: number): pg.Pool {
  const connection = em.getConnection();
  const pool = new pg.Pool({
    connectionString: url,
    // PostgreSqlConnection's options (a knex PgConnectionConfig) carry pg's type parsers.
    types: (connection.getConnectionOptions() as { types?: pg.CustomTypesConfig }).types,
    max,
    connectionTimeoutMillis: 5_000,
  });
  // A backend PostgreSQL terminates can raise more than one 'error' on its client (the FATAL
  // message, then the socket's end); pg-pool listens once per checkout, and an unheard 'error'
  // ends the process. The pool's own listeners still retire the client; this one only hears.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pools.set(em.config, pool);
  return pool;
}

/**
 * Runs hand-written SQL (placeholders `?`) on `em`'s database: inside its transaction when `em`
 * is a transactional fork or the call runs within `em.transactional()` (MikroORM's
 * `Connection.execute`), else as a named prepared statement on the database module's `pg` pool
 * (`createStatementPool`): PostgreSQL then parses it once per connection and, after a few runs,
 * reuses a generic plan instead of planning every request (planning the invites screen's join
 * took longer than running it). Named statements are `pg`'s documented `{ name, text, values }`
 * query config. Behind a pooler in transaction mode (PgBouncer < 1.21) they do not survive; see
 * the README. Without a statement pool (an ORM not made by the database module), or with a list
 * parameter (expanded into `?, ?, …`), the statement goes through `Connection.execute`.
 *
 * Unlike `em.execute()`, it does not resolve the request's EntityManager first: on the global
 * EntityManager that makes the request's fork just to send one statement.
 */
export async function rawQuery<T>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const tx = em.global
    ? TransactionContext.getEntityManager(em.name)?.getTransactionContext()
    : em.getTransactionContext();
  const pool = tx ? undefined : pools.get(em.config);
  const statement = pool && !params.some(Array.isArray) ? prepare(sql) : undefined;
  if (!statement) return em.getConnection().execute<T[]>(sql, params, 'all', tx);
  // Not `pool.query()`: it releases the client with the query's error, and pg-pool closes a client
  // released with an error, so every unique violation (a routine 409) cost a new connection and
  // its SCRAM handshake (~5 ms of CPU) and dropped the connection's prepared statements.
  let client: pg.PoolClient | undefined;
  let broken: Error | undefined;
  try {
    client = await pool!.connect();
    const { rows } = await client.query({ ...statement, values: params });
    return rows as T[];
  } catch (error) {
    if (!connectionSurvives(error)) broken = error as Error;
    // A connection that could not be had (down, the pool's timeout) is the ORM's exception too.
    throw em.getDriver().convertException(error as Error);
  } finally {
    client?.release(broken);
  }
}

/**
 * Whether a connection is still good after `error`: PostgreSQL answered with an error about the
 * statement (a constraint, a bad value, a statement timeout: it has a SQLSTATE), not about the
 * session (class 08, a connection exception; 57P, an operator or a shutdown ending it) or the
 * socket.
 */
function connectionSurvives(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError) || typeof error.code !== 'string') return false;
  return !error.code.startsWith('08') && !error.code.startsWith('57P');
}
