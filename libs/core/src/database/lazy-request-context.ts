import type { AsyncLocalStorage } from 'node:async_hooks';
import { EntityManager, MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable, type NestMiddleware } from '@nestjs/common';

/**
 * The forks of a request context, made on first use. MikroORM's own middleware forks the
 * EntityManager (a unit of work, an identity map and their helpers) for every request, which
 * the hottest routes (reference data served from memory, health probes) never touch.
 */
class LazyForks extends Map<string, EntityManager> {
  constructor(private readonly root: EntityManager) {
    super();
  }

  private forking = false;

  override get(name: string): EntityManager | undefined {
    let em = super.get(name);
    // While forking, the new EntityManager asks for the context itself: answer "none".
    if (!em && name === this.root.name && !this.forking) {
      this.forking = true;
      try {
        em = this.root.fork({ useContext: true, disableContextResolution: true });
      } finally {
        this.forking = false;
      }
      this.set(name, em);
    }
    return em;
  }

  override has(name: string): boolean {
    return name === this.root.name || super.has(name);
  }
}

// RequestContext keeps its AsyncLocalStorage private; `RequestContext.create` forks eagerly.
const storage = (RequestContext as unknown as { storage: AsyncLocalStorage<RequestContext> })
  .storage;

/** Runs `next` in a MikroORM request context whose EntityManager fork is made when first asked for. */
export function runInLazyRequestContext<T>(em: EntityManager, next: () => T): T {
  return storage.run(new RequestContext(new LazyForks(em)), next);
}

/** Drop-in for @mikro-orm/nestjs's request-context middleware (`registerRequestContext: false`). */
@Injectable()
export class LazyRequestContextMiddleware implements NestMiddleware {
  constructor(private readonly orm: MikroORM) {}

  use(_req: unknown, _res: unknown, next: () => void): void {
    runInLazyRequestContext(this.orm.em, next);
  }
}
