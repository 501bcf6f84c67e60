import { CanActivate, ExecutionContext, Injectable, ParseUUIDPipe } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { ProblemException } from '../errors/problem.exception.js';
import { ValidationProblem } from '../errors/validation.js';
import { httpOf } from '../http/request-of.js';
import {
  ACCESS_KEY,
  PERMISSION_KEY,
  type AccessLevel,
  type RoutePermission,
} from './access.decorators.js';
import { AccessService, isStaff } from './access.service.js';
import { Authenticator } from './principal.js';
import { ParseUserIdPipe } from './user-id.pipe.js';

/**
 * The one place route-level permissions are enforced. Every route declares its level with
 * `@Public()`, `@Authenticated()`, `@StaffOnly()` or `@SuperuserOnly()`; a route that declares
 * none is treated as `@Authenticated()` (and the route-walk spec fails on it).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private authenticator?: Authenticator | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = httpOf(context);
    if (!http) return true;
    const level =
      this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'authenticated';
    const req = http.req;
    const token = bearerToken(req);
    // A GraphQL request runs this once per root field: its token is looked up once.
    if (token && !req.user) {
      const principal = await this.getAuthenticator()?.authenticate(token);
      // As DRF does: a bad token is an error even where no token is needed.
      if (!principal)
        throw new ProblemException(401, 'The bearer token is invalid, expired or revoked');
      req.user = principal;
    }
    if (level === 'public') return true;
    if (!req.user) throw new ProblemException(401, 'A bearer token is required');
    if (level === 'staff' && !isStaff(req.user)) {
      throw new ProblemException(403, 'Staff only');
    }
    if (level === 'superuser' && !req.user.isSuperuser)
      throw new ProblemException(403, 'Superusers only');
    return true;
  }

  private getAuthenticator(): Authenticator | null {
    if (this.authenticator === undefined) {
      try {
        this.authenticator = this.moduleRef.get(Authenticator, { strict: false });
      } catch {
        this.authenticator = null;
      }
    }
    return this.authenticator;
  }
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && value ? value.trim() : undefined;
}

const uuid = new ParseUUIDPipe();
const userId = new ParseUserIdPipe();

/**
 * Runs the route's declared object-level permission (`@Authenticated({ permission, param })`)
 * through AccessService before the handler. It comes after the input and query guards (a bad
 * request is a 400 before any lookup) and validates the id as the route's own pipe would (same
 * 400), so checkers only ever see a UUID.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = httpOf(context);
    if (!http) return true;
    const declared = this.reflector.getAllAndOverride<RoutePermission | undefined>(PERMISSION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!declared) return true;
    const req = http.req;
    // The AccessGuard has already refused anonymous callers of a route with a permission.
    if (!req.user) throw new ProblemException(401, 'A bearer token is required');
    let id: string | undefined;
    if (declared.param && context.getType() !== 'http') {
      // A GraphQL field: the argument of that name, refused as its UuidArgPipe would
      // (BAD_USER_INPUT with the field error), before any lookup.
      const args = context.getArgByIndex<Record<string, unknown> | undefined>(1);
      const raw = args?.[declared.param];
      if (typeof raw !== 'string' || !isUUID(raw))
        throw new ValidationProblem([
          { field: declared.param, message: `${declared.param} must be a UUID` },
        ]);
      id = raw;
    } else if (declared.param) {
      const raw = String(req.params[declared.param]);
      if (declared.me) {
        const value = userId.transform(raw);
        id = value === 'me' ? req.user.id : value;
      } else {
        id = await uuid.transform(raw, { type: 'param', data: declared.param });
      }
    }
    await this.access.require(req.user, declared.permission, id);
    return true;
  }
}
