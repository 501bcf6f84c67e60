import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Where an accounts repository's entity reads and writes go. The injected repository holds the
 * global EntityManager: each call gets a fresh fork there, as the services' `this.em.fork()` did
 * (no identity map outlives the call, and it works outside a request: the manage commands). A
 * fork's or a transaction's repository (`em.getRepository(User)`) works in that EntityManager, so
 * it joins its unit of work. `rawQuery` and `queryPage` take the repository's `this.em` as it is.
 */
export const entityManagerOf = <E extends EntityManager>(em: E): E => (em.global ? em.fork() : em);
