/**
 * The reflect-metadata keys under which Nest's route decorators (`@Get()`, `@Query()`) record a
 * route, for code that reads a route's declaration (UnknownQueryGuard, the route-declaration
 * tests). Nest exports them only from internal files (`@nestjs/common/constants.js`,
 * `…/enums/route-paramtypes.enum.js`), which the lint rule forbids importing; the values have
 * been the same since Nest 5, and the e2e tests of unknown query parameters and of route
 * declarations fail if they ever change.
 */
export const NEST_PATH_METADATA = 'path';
export const NEST_METHOD_METADATA = 'method';
export const NEST_ROUTE_ARGS_METADATA = '__routeArguments__';
/** `@UseInterceptors()`'s key, on a handler or a controller. */
export const NEST_INTERCEPTORS_METADATA = '__interceptors__';
/** `RouteParamtypes.QUERY`: the kind of a `@Query()` parameter in NEST_ROUTE_ARGS_METADATA keys. */
export const NEST_QUERY_PARAMTYPE = 4;
