import { createHash } from 'node:crypto';
import { TransactionContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** What rawQuery needs of a pooled `pg` client. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<void>;
}

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

/**
 * Runs hand-written SQL (placeholders `?`) on `em`'s connection: inside its transaction when `em`
 * is a transactional fork or the call runs within `em.transactional()`, else on the pool.
 *
 * Unlike `em.execute()`, it does not resolve the request's EntityManager first: on the global
 * EntityManager that makes the request's fork (a unit of work and identity map) just to send one
 * statement, which measured about 200 µs of CPU per statement against about 70 µs here.
 *
 * Outside a transaction, and when no parameter is a list (knex expands those into `?, ?, …`), the
 * statement runs as a named prepared statement on the pooled `pg` client: PostgreSQL then parses
 * it once per connection and, after a few runs, reuses a generic plan instead of planning every
 * request (planning the invites screen's join took longer than running it). Behind a pooler in
 * transaction mode (PgBouncer < 1.21) named statements do not survive; see the README.
 */
export async function rawQuery<T>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const tx = em.global
    ? TransactionContext.getEntityManager(em.name)?.getTransactionContext()
    : em.getTransactionContext();
  const statement = !tx && !params.some(Array.isArray) ? prepare(sql) : undefined;
  if (!statement) return em.getConnection().execute<T[]>(sql, params, 'all', tx);
  const client = em.getConnection().getKnex().client as unknown as KnexClient;
  const connection = await client.acquireConnection();
  try {
    const { rows } = await connection.query({ ...statement, values: params });
    return rows as T[];
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  } finally {
    await client.releaseConnection(connection);
  }
}
