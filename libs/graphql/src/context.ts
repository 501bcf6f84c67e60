import type { Request, Response } from 'express';
import type { Principal } from '#porch/core';
import type { Loaders } from './loaders.js';
import type { SocketExtra } from './realtime/connections.js';

/**
 * What every resolver gets as its context, made once per HTTP request: the Express request and
 * response (the global guards read them: the token check sets `req.user`), and the request's own
 * DataLoaders (their caches live and die with the request).
 */
export interface GraphqlContext {
  req: Request;
  /** Absent for a subscription (graphql-ws): its `req` stands for the socket's upgrade request. */
  res?: Response;
  loaders: Loaders;
  /** A subscription's socket and its signed-in caller. */
  socket?: SocketExtra;
}

/** `scheme://host` of the request, for absolute URLs in results (as REST's RequestOrigin). */
export function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The signed-in caller (resolvers behind `@Authenticated()`: the AccessGuard has set it). */
export function principalOf(ctx: GraphqlContext): Principal {
  return ctx.req.user!;
}
