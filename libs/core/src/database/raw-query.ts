import { TransactionContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs hand-written SQL (placeholders `?`) on `em`'s connection: inside its transaction when `em`
 * is a transactional fork or the call runs within `em.transactional()`, else on the pool.
 *
 * Unlike `em.execute()`, it does not resolve the request's EntityManager first: on the global
 * EntityManager that makes the request's fork (a unit of work and identity map) just to send one
 * statement, which measured about 200 µs of CPU per statement against about 70 µs here.
 */
export function rawQuery<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const tx = em.global
    ? TransactionContext.getEntityManager(em.name)?.getTransactionContext()
    : em.getTransactionContext();
  return em.getConnection().execute<T[]>(sql, params, 'all', tx);
}
