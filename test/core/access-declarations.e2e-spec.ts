import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import {
  ACCESS_KEY,
  IDEMPOTENT_KEY,
  NEST_INTERCEPTORS_METADATA,
  NEST_METHOD_METADATA,
  NO_IDEMPOTENCY_KEY,
  NEST_PATH_METADATA,
  openApiDocument,
  PERMISSION_KEY,
  PERMISSIONS,
  type RoutePermission,
} from '#porch/core';
import { AppModule } from '../../apps/api/src/app.module.js';

interface Route {
  name: string;
  path: string;
  params: string[];
  level: unknown;
  permission?: RoutePermission;
  /** Status codes the route documents (Swagger). */
  documented: string[];
  /** `@Idempotent()` and `@NoIdempotency()`. */
  idempotent: boolean;
  noIdempotency: boolean;
  /** `@UseInterceptors()` on the handler or its controller. */
  interceptors: unknown[];
}

/**
 * Routes whose path parameters name no object a caller could be refused, and why. Anything else
 * with a path parameter declares the permission its object needs.
 */
const NO_PERMISSION: Record<string, string> = {
  'POST GroupsController.join':
    'anyone holding the code joins: a wrong code is the same 404 as an unknown group',
  'GET HealthRegionsController.get': 'public reference data: a health region',
  'GET ProvincesController.get': 'public reference data: a province',
  'GET HealthRegionsController.fsas': 'public reference data: the FSAs of a health region',
  'GET FsaController.lookup': 'public reference data: the health regions of an FSA',
};

function routesOf(app: INestApplication): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const proto = controller.prototype as Record<string, unknown>;
      const base = String(Reflect.getMetadata(NEST_PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(NEST_PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(NEST_METHOD_METADATA, handler) as number];
        const path = `/${base}/${sub}`.replace(/\/+/g, '/');
        const responses = (Reflect.getMetadata('swagger/apiResponse', handler) ?? {}) as object;
        routes.push({
          name: `${method} ${controller.name}.${name}`,
          path,
          params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]),
          level:
            Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, controller),
          permission:
            Reflect.getMetadata(PERMISSION_KEY, handler) ??
            Reflect.getMetadata(PERMISSION_KEY, controller),
          documented: Object.keys(responses),
          idempotent: Reflect.getMetadata(IDEMPOTENT_KEY, handler) === true,
          noIdempotency: Reflect.getMetadata(NO_IDEMPOTENCY_KEY, handler) === true,
          interceptors: [
            ...((Reflect.getMetadata(NEST_INTERCEPTORS_METADATA, controller) as unknown[]) ?? []),
            ...((Reflect.getMetadata(NEST_INTERCEPTORS_METADATA, handler) as unknown[]) ?? []),
          ],
        });
      }
    }
  }
  return routes;
}

/** STYLE habit 2: every route declares who may call it, and what on; a route that doesn't fails here. */
describe('route permissions', () => {
  let routes: Route[];
  /** The OpenAPI document's operations that list an Idempotency-Key header, by operationId. */
  let documentedKeys: string[];
  beforeAll(async () => {
    const app = await NestFactory.create(AppModule, { preview: true, logger: false });
    routes = routesOf(app);
    documentedKeys = Object.values(openApiDocument(app).paths)
      .flatMap((item) => Object.values(item) as { operationId?: string; parameters?: unknown[] }[])
      .filter((op) =>
        (op.parameters ?? []).some((p) => (p as { name?: string }).name === 'Idempotency-Key'),
      )
      .map((op) => op.operationId ?? '');
    await app.close();
  });

  it('every route of every controller declares an access level', () => {
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => !r.level).map((r) => r.name)).toEqual([]);
  });

  it('every POST and PATCH route declares @Idempotent() or @NoIdempotency(), and no other route does', () => {
    const writes = routes.filter((r) => /^(POST|PATCH) /.test(r.name));
    expect(writes.length).toBeGreaterThan(10);
    expect(writes.filter((r) => r.idempotent === r.noIdempotency).map((r) => r.name)).toEqual([]);
    expect(routes.filter((r) => !writes.includes(r) && (r.idempotent || r.noIdempotency))).toEqual(
      [],
    );
    // The auth routes whose answers carry fresh credentials opt out; the rest of the writes are in.
    expect(writes.filter((r) => r.noIdempotency).map((r) => r.name)).toEqual(
      expect.arrayContaining(['POST AuthController.login', 'POST AuthController.token']),
    );
    expect(writes.filter((r) => r.idempotent).length).toBeGreaterThan(15);
  });

  // An interceptor puts a route through rxjs and AsyncResource.bind, whose closures outlive
  // minor collections with the request in them: on the reads, that halved the invites screen's
  // req/s (README, "No global interceptor"). Writes carry Idempotency-Key's; reads none.
  it('no GET route has an interceptor (the @Idempotent() writes do)', () => {
    expect(routes.filter((r) => r.idempotent).every((r) => r.interceptors.length > 0)).toBe(true);
    expect(
      routes.filter((r) => r.name.startsWith('GET ') && r.interceptors.length).map((r) => r.name),
    ).toEqual([]);
  });

  it('the OpenAPI document lists Idempotency-Key on exactly the @Idempotent() routes', () => {
    // 'POST GroupsController.create' is the operation 'Groups_create'.
    const idempotent = routes
      .filter((r) => r.idempotent)
      .map((r) => r.name.replace(/^\w+ (\w+)Controller\.(\w+)$/, '$1_$2'));
    expect([...documentedKeys].sort()).toEqual([...idempotent].sort());
  });

  it('every route with a path parameter declares a permission, or is listed with a reason', () => {
    const undeclared = routes
      .filter((r) => r.params.length && !r.permission && !NO_PERMISSION[r.name])
      .map((r) => `${r.name} (${r.path})`);
    expect(undeclared).toEqual([]);
    // The list stays true: each entry is a real route that still declares no permission.
    for (const name of Object.keys(NO_PERMISSION)) {
      const route = routes.find((r) => r.name === name);
      expect({ name, found: !!route, permission: route?.permission }).toEqual({
        name,
        found: true,
        permission: undefined,
      });
    }
  });

  it('declares only catalogued permissions, on a parameter of the route, behind a token', () => {
    for (const route of routes.filter((r) => r.permission)) {
      const { permission, param } = route.permission!;
      expect({ route: route.name, permission: PERMISSIONS.includes(permission) }).toEqual({
        route: route.name,
        permission: true,
      });
      if (param)
        expect({ route: route.name, param: route.params.includes(param) }).toEqual({
          route: route.name,
          param: true,
        });
      expect({ route: route.name, level: route.level }).not.toEqual({
        route: route.name,
        level: 'public',
      });
    }
  });

  it('documents the 404 a checked object answers (and the 403 of a permission that can refuse)', () => {
    const missing = routes
      .filter((r) => r.permission?.param)
      .filter((r) => !r.documented.includes('404') || !r.documented.includes('401'))
      .map((r) => `${r.name}: ${r.documented.join(',')}`);
    expect(missing).toEqual([]);
    const refusing = new Set([
      'party.update',
      'party.delete',
      'party.guests',
      'invite.respond',
      'invite.checkIn',
      'group.manage',
      'user.parties',
    ]);
    const no403 = routes
      .filter((r) => r.permission && refusing.has(r.permission.permission))
      .filter((r) => !r.documented.includes('403'))
      .map((r) => r.name);
    expect(no403).toEqual([]);
  });
});
