import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOAuth2,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProblemDetails } from '../errors/problem.js';
import { httpOf } from '../http/request-of.js';
import type { Principal } from './principal.js';

export const ACCESS_KEY = 'porch:access';
export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';

const secured = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiOAuth2([]),
    ApiUnauthorizedResponse({ description: 'No, expired or revoked token', type: ProblemDetails }),
  );

/** Anyone, with or without a token. */
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies AccessLevel);

/** Any active user with a live bearer token. */
export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_KEY, 'authenticated' satisfies AccessLevel), secured());

/** Staff or superusers only (403 for other users). */
export const StaffOnly = () =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, 'staff' satisfies AccessLevel),
    secured(),
    ApiForbiddenResponse({ description: 'Not staff', type: ProblemDetails }),
  );

/** Superusers only (403 for other users). */
export const SuperuserOnly = () =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, 'superuser' satisfies AccessLevel),
    secured(),
    ApiForbiddenResponse({ description: 'Not a superuser', type: ProblemDetails }),
  );

/** The authenticated caller (undefined on public routes without a token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => httpOf(ctx)?.req.user,
);
