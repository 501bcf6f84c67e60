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
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';

export const ACCESS_KEY = 'porch:access';
export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const PERMISSION_KEY = 'porch:permission';

/**
 * The object-level permission a route needs, checked by the PermissionGuard (AccessService)
 * before the handler: the object is the path parameter `param` (a UUID; `me` too, for the
 * caller, with `me: true`), or none for an app-wide permission such as `export.read`.
 */
export interface RoutePermission {
  permission: Permission;
  param?: string;
  me?: boolean;
}

const withPermission = (permission?: RoutePermission) =>
  permission ? [SetMetadata(PERMISSION_KEY, permission)] : [];

const secured = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiOAuth2([]),
    ApiUnauthorizedResponse({ description: 'No, expired or revoked token', type: ProblemDetails }),
  );

/** Anyone, with or without a token. */
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies AccessLevel);

/**
 * Any active user with a live bearer token; with a permission, only those the object's checker
 * allows (`@Authenticated({ permission: 'party.update', param: 'id' })`: 404 for an object the
 * caller may not see, 403 for one they may see but not act on).
 */
export const Authenticated = (permission?: RoutePermission) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, 'authenticated' satisfies AccessLevel),
    secured(),
    ...withPermission(permission),
  );

/** Staff or superusers only (403 for other users); a permission as for `@Authenticated`. */
export const StaffOnly = (permission?: RoutePermission) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, 'staff' satisfies AccessLevel),
    secured(),
    ApiForbiddenResponse({ description: 'Not staff', type: ProblemDetails }),
    ...withPermission(permission),
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
