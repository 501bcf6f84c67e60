import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ValidationProblem } from '../errors/validation.js';
import { NEST_QUERY_PARAMTYPE, NEST_ROUTE_ARGS_METADATA } from './route-metadata.js';

interface RouteArg {
  index: number;
  data?: unknown;
}

/**
 * Rejects query parameters a route does not declare (SPEC §2). Routes taking a whole-query DTO
 * are checked by the ValidationPipe (forbidNonWhitelisted); routes with `@Query('name')`
 * params accept only those names; routes without any accept none.
 */
@Injectable()
export class UnknownQueryGuard implements CanActivate {
  private readonly allowed = new WeakMap<object, Set<string> | null>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const keys = Object.keys(req.query ?? {});
    if (!keys.length) return true;
    const allowed = this.allowedFor(context);
    if (allowed === null) return true;
    const unknown = keys.filter((k) => !allowed.has(k));
    if (unknown.length) {
      throw new ValidationProblem(
        unknown.map((field) => ({ field, message: `unknown query parameter '${field}'` })),
      );
    }
    return true;
  }

  private allowedFor(context: ExecutionContext): Set<string> | null {
    const handler = context.getHandler();
    if (this.allowed.has(handler)) return this.allowed.get(handler)!;
    const args = (Reflect.getMetadata(NEST_ROUTE_ARGS_METADATA, context.getClass(), handler.name) ??
      {}) as Record<string, RouteArg>;
    let result: Set<string> | null = new Set();
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== NEST_QUERY_PARAMTYPE) continue;
      if (typeof arg.data === 'string') result?.add(arg.data);
      else result = null; // a whole-query DTO: the ValidationPipe decides
    }
    this.allowed.set(handler, result);
    return result;
  }
}
