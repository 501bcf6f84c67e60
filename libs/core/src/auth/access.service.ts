import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { ForbiddenProblem, NotFoundProblem } from '../errors/problem.exception.js';
import { PERMISSIONS, type Permission } from './permissions.js';
import type { Principal } from './principal.js';

/** Staff or superuser: the one definition (superusers are staff everywhere). */
export function isStaff(principal: Pick<Principal, 'isStaff' | 'isSuperuser'>): boolean {
  return principal.isStaff || principal.isSuperuser;
}

/**
 * A checker's answer. `hidden`: the caller may not even know the object exists (404, so
 * existence does not leak); `forbidden`: they may see it but not do this (403).
 */
export type AccessDecision =
  | { allowed: true }
  | { allowed: false; status: 403 | 404; detail: string };

export const allow = (): AccessDecision => ({ allowed: true });
export const forbidden = (detail: string): AccessDecision => ({
  allowed: false,
  status: 403,
  detail,
});
export const hidden = (detail: string): AccessDecision => ({ allowed: false, status: 404, detail });

/**
 * Decides the permissions a module registers for its objects. `id` is the object's id (already a
 * valid UUID when it comes from a route), undefined for permissions on no object.
 */
export interface PermissionChecker {
  decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision>;
}

/**
 * Marks a provider as the checker of these permissions: `@AccessChecker(['party.read', …])`
 * on an `@Injectable()` implementing PermissionChecker. AccessService finds them at start-up
 * (Nest's DiscoveryService); two checkers for one permission is a start-up error.
 */
export const AccessChecker = DiscoveryService.createDecorator<readonly Permission[]>();

/**
 * The one access layer: every object-level permission is decided here, by the checker its module
 * registered. Routes declare theirs (`@Authenticated({ permission, param })`, enforced by the
 * PermissionGuard); anything else (services for body-borne ids, the admin panel, the exports,
 * GraphQL resolvers) calls `require`/`check` with a Principal — nothing here needs HTTP.
 */
@Injectable()
export class AccessService implements OnModuleInit {
  private readonly checkers = new Map<Permission, PermissionChecker>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: AccessChecker.KEY })) {
      const permissions = this.discovery.getMetadataByDecorator(AccessChecker, wrapper) ?? [];
      const checker = wrapper.instance as PermissionChecker | undefined;
      if (!checker) continue;
      for (const permission of permissions) {
        if (!PERMISSIONS.includes(permission))
          throw new Error(`${wrapper.name} checks "${permission}", which is not in PERMISSIONS`);
        if (this.checkers.has(permission) && this.checkers.get(permission) !== checker)
          throw new Error(`Two checkers for the permission "${permission}"`);
        this.checkers.set(permission, checker);
      }
    }
  }

  /** The permissions that have a checker (the route-declaration spec compares with PERMISSIONS). */
  registered(): Permission[] {
    return [...this.checkers.keys()];
  }

  /** What the checker says about one object (or none). Unregistered permissions deny (403). */
  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    const checker = this.checkers.get(permission);
    if (!checker) return forbidden(`No checker for the permission ${permission}`);
    return checker.decide(principal, permission, id);
  }

  /** Whether the caller has the permission on the object(s): all of them for a list. */
  async check(
    principal: Principal,
    permission: Permission,
    ids?: string | readonly string[],
  ): Promise<boolean> {
    const decisions = await this.decideAll(principal, permission, ids);
    return decisions.every((d) => d.allowed);
  }

  /**
   * Throws unless the caller has the permission on the object(s): 404 when one is hidden from
   * them (first), else 403 when one is forbidden. An empty list asks about nothing and passes.
   */
  async require(
    principal: Principal,
    permission: Permission,
    ids?: string | readonly string[],
  ): Promise<void> {
    const decisions = await this.decideAll(principal, permission, ids);
    const denied = decisions.filter((d) => !d.allowed);
    const notFound = denied.find((d) => d.status === 404);
    if (notFound) throw new NotFoundProblem(notFound.detail);
    if (denied[0]) throw new ForbiddenProblem(denied[0].detail);
  }

  private decideAll(
    principal: Principal,
    permission: Permission,
    ids: string | readonly string[] | undefined,
  ): Promise<AccessDecision[]> {
    const list: (string | undefined)[] = ids === undefined ? [undefined] : [ids].flat();
    return Promise.all(list.map((id) => this.decide(principal, permission, id)));
  }
}

/** Global: AccessService for every module; checkers are found wherever they are provided. */
@Global()
@Module({ imports: [DiscoveryModule], providers: [AccessService], exports: [AccessService] })
export class AccessModule {}
