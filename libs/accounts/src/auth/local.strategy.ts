import {
  createParamDecorator,
  ExecutionContext,
  Injectable,
  type CanActivate,
} from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { ProblemException, ValidationProblem } from '#porch/core';
import { AuthService, emailNotVerified } from './auth.service.js';

/** What the local strategy yields: the user who proved their password. */
export interface LoginAccount {
  userId: string;
}

type RequestWithAccount = Request & { account?: LoginAccount };

export const invalidCredentials = () => new ProblemException(401, 'Invalid email or password');

/** `POST /auth/login` through passport-local: `{ email, password }` in the body. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, email: unknown, password: unknown): Promise<LoginAccount> {
    if (typeof email !== 'string' || typeof password !== 'string') throw missingCredentials();
    const userId = await this.auth.verifyCredentials(email, password, req.ip, emailNotVerified);
    if (!userId) throw invalidCredentials();
    return { userId };
  }
}

const missingCredentials = () =>
  new ValidationProblem([
    { field: 'email', message: 'email and password are required strings' },
    { field: 'password', message: 'email and password are required strings' },
  ]);

/**
 * Runs the local strategy. The result goes to `req.account`, not `req.user`, which belongs to the
 * bearer-token Principal.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') implements CanActivate {
  override getAuthenticateOptions() {
    return { session: false, property: 'account' };
  }

  override handleRequest<T = LoginAccount>(err: unknown, account: T | false): T {
    if (err) throw err;
    // passport-local fails without calling validate() when a field is missing.
    if (!account) throw missingCredentials();
    return account;
  }
}

/** The account the LocalAuthGuard authenticated. */
export const CurrentLoginAccount = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): LoginAccount => {
    const account = ctx.switchToHttp().getRequest<RequestWithAccount>().account;
    if (!account) throw invalidCredentials();
    return account;
  },
);
