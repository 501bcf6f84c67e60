import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable, type NestMiddleware, RequestMethod } from '@nestjs/common';

/** A route as `MiddlewareConsumer#exclude` takes it (Nest's RouteInfo). */
type Route = { path: string; method: RequestMethod };

/**
 * Runs each request in a MikroORM request context: `RequestContext.create`, MikroORM's supported
 * entry point, the same as @mikro-orm/nestjs's own middleware (`registerRequestContext: false`
 * because this one is applied by the database module). It forks the EntityManager for every
 * request (a unit of work, an identity map, and two writes of `process.env` in
 * `Configuration.set`): ~20 µs of CPU, so routes that use no EntityManager opt out
 * (`WithoutRequestContext`).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly orm: MikroORM) {}

  use(_req: unknown, _res: unknown, next: () => void): void {
    RequestContext.create(this.orm.em, next);
  }
}

const withoutContext: Route[] = [];

/**
 * A controller's GET requests (`path` and below) run without a request context: no
 * EntityManager fork, ~13 % of an in-memory read's CPU. Only for controllers whose handlers use
 * no request EntityManager (in-memory data; `rawQuery` on the global one still works); one that
 * did would fail with MikroORM's global-context error. Recorded when the class is defined, read
 * when the database module applies its middleware.
 */
export function WithoutRequestContext(path: string): ClassDecorator {
  withoutContext.push(
    { path, method: RequestMethod.GET },
    { path: `${path}/{*rest}`, method: RequestMethod.GET },
  );
  return () => undefined;
}

/** The routes `WithoutRequestContext` took out of the request context. */
export function routesWithoutRequestContext(): Route[] {
  return [...withoutContext];
}
