import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../errors/problem.exception.js';
import { httpOf } from '../http/request-of.js';
import { ACCESS_KEY, type AccessLevel } from './access.decorators.js';
import { Authenticator } from './principal.js';

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
    if (level === 'staff' && !(req.user.isStaff || req.user.isSuperuser)) {
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
