import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable, type NestMiddleware } from '@nestjs/common';

/**
 * Runs each request in a MikroORM request context: `RequestContext.create`, MikroORM's supported
 * entry point, the same as @mikro-orm/nestjs's own middleware (`registerRequestContext: false`
 * because this one is applied by the database module). It forks the EntityManager for every
 * request; a fork is a few objects (a unit of work, an identity map), about as cheap as the lazy
 * fork this replaced once the request's other costs are counted (see the README's benchmark).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly orm: MikroORM) {}

  use(_req: unknown, _res: unknown, next: () => void): void {
    RequestContext.create(this.orm.em, next);
  }
}
