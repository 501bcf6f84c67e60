import type { ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';

/**
 * The Express request and response behind a handler call: a REST route's, or a GraphQL
 * resolver's (whose context, the third resolver argument, carries `req` and `res`). Undefined for
 * other transports. Lets the global guards apply the same rules to both APIs.
 */
export function httpOf(context: ExecutionContext): { req: Request; res: Response } | undefined {
  if (context.getType() === 'http') {
    const http = context.switchToHttp();
    return { req: http.getRequest<Request>(), res: http.getResponse<Response>() };
  }
  if (context.getType<string>() === 'graphql') {
    const ctx = context.getArgByIndex<{ req?: Request; res?: Response } | undefined>(2);
    if (ctx?.req && ctx.res) return { req: ctx.req, res: ctx.res };
  }
  return undefined;
}
