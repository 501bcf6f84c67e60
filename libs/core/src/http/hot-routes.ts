import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Global, Injectable, Logger, Module, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, RequestHandler, Response } from 'express';

/** An Express app's prototypes of its requests and responses. */
interface ExpressPrototypes {
  request: Request;
  response: Response;
}
import { ACCESS_KEY, type AccessLevel } from '../auth/access.decorators.js';
import { HttpLogging } from '../logging/logging.module.js';
import { PorchThrottlerGuard } from '../throttle/throttle.module.js';
import { type CachedJson, sendableBody } from './http-cache.js';

/**
 * A public, read-only GET route whose answer is already in memory (reference data). The hot
 * path answers it without Express's router or Nest's pipeline; `resolve` returns undefined, or
 * throws, for anything it does not answer itself, and the full pipeline takes the request.
 */
export interface HotRoute {
  /** Under the API prefix: an exact path (`/health-regions`) or one with a last `:param`. */
  path: string;
  /** The controller and method that serve the same route: their guards' metadata applies. */
  controller: Type<unknown>;
  method: string;
  resolve(req: Request, param: string | undefined): CachedJson<unknown> | undefined;
}

/** Where modules register their hot routes (in `onModuleInit`). */
@Injectable()
export class HotRoutes {
  readonly routes: HotRoute[] = [];
  /** Requests the hot path has answered (tests read it to know which path answered). */
  served = 0;

  add(...routes: HotRoute[]): void {
    this.routes.push(...routes);
  }
}

@Global()
@Module({ providers: [HotRoutes], exports: [HotRoutes] })
export class HotRoutesModule {}

interface CompiledRoute {
  route: HotRoute;
  handler: (...args: unknown[]) => unknown;
}

/**
 * The hot path. Express's router and Nest's pipeline (middleware, guards, pipes, the handler's
 * promise chain) cost about 200 µs of CPU per request on the benchmark machine, even with the
 * requests made on Express's prototypes (`PorchExpressAdapter`); answering an FSA lookup from
 * memory costs about 100 µs in all this way. What still runs, the same code as on the full
 * pipeline: the rate limit (the app's throttler guard, with the route's metadata), helmet's
 * headers, the request log and `X-Request-Id` (pino-http with the app's settings), and the
 * controllers' ETag/304 logic (`sendableBody`).
 *
 * The full pipeline keeps every request the hot path is not sure about: anything but GET, a
 * query string, an `Authorization` header (the caller is then a user, whose token is checked),
 * a path not written exactly as registered, a value the route does not know (400/404 come from
 * the controller), and a client over its rate limit (429). With CORS on, `configureApp` does not
 * install the hot path at all.
 */
export class HotPath {
  private exact?: Map<string, CompiledRoute>;
  private withParam?: Map<string, CompiledRoute>;
  // Wired on the first request (compile), once the app's providers exist.
  private registry!: HotRoutes;
  private throttler!: PorchThrottlerGuard;
  private httpLogger!: ReturnType<HttpLogging['httpLogger']>;
  private prototypes!: ExpressPrototypes;
  private readonly log = new Logger('HotPath');

  constructor(
    private readonly app: NestExpressApplication,
    private readonly prefix: string,
    private readonly headers: RequestHandler,
  ) {}

  /** Puts the hot path in front of Express on the app's HTTP server. */
  install(): void {
    const server = this.app.getHttpServer() as Server;
    const listeners = server.listeners('request') as ((...args: unknown[]) => void)[];
    if (listeners.length !== 1) throw new Error('hot routes: expected one request listener');
    const express = listeners[0];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.take(req, res, express)) express(req, res);
    });
  }

  /** Takes the request (true) or leaves it to Express (false), before any side effect. */
  private take(
    req: IncomingMessage,
    res: ServerResponse,
    express: (...args: unknown[]) => void,
  ): boolean {
    if (req.method !== 'GET' || req.headers.authorization !== undefined) return false;
    const url = req.url ?? '';
    if (url.includes('?')) return false;
    if (!this.exact) this.compile();
    let compiled = this.exact!.get(url);
    let param: string | undefined;
    if (!compiled) {
      const slash = url.lastIndexOf('/');
      compiled = this.withParam!.get(url.slice(0, slash + 1));
      if (!compiled || slash === url.length - 1) return false;
      param = url.slice(slash + 1);
      if (param.includes('%')) {
        try {
          param = decodeURIComponent(param);
        } catch {
          return false;
        }
      }
    }
    // Express's own request and response methods (ip, protocol, get, header), set up as Express
    // sets them up for every request it handles.
    Object.setPrototypeOf(req, this.prototypes.request);
    Object.setPrototypeOf(res, this.prototypes.response);
    const request = req as Request;
    const response = res as Response;
    request.res = response;
    response.req = request;
    request.originalUrl = url;
    let cached: CachedJson<unknown> | undefined;
    try {
      cached = compiled.route.resolve(request, param);
    } catch {
      return false;
    }
    if (!cached) return false;
    void this.reply(compiled, request, response, cached, express);
    return true;
  }

  private async reply(
    compiled: CompiledRoute,
    req: Request,
    res: Response,
    cached: CachedJson<unknown>,
    express: (...args: unknown[]) => void,
  ): Promise<void> {
    const context = new ExecutionContextHost(
      [req, res, undefined],
      compiled.route.controller,
      compiled.handler,
    );
    try {
      await this.throttler.canActivate(context);
    } catch {
      // Over the limit (or the limit store failing): the full pipeline answers, as it would.
      return express(req, res);
    }
    this.registry.served++;
    this.headers(req, res, () => undefined);
    this.httpLogger(req, res);
    try {
      res.end(sendableBody(req, res, cached));
    } catch (error) {
      this.log.error(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  }

  private compile(): void {
    this.exact = new Map();
    this.withParam = new Map();
    try {
      this.registry = this.app.get(HotRoutes, { strict: false });
    } catch {
      return; // an app without the core module (some unit tests) has no hot routes
    }
    const reflector = this.app.get(Reflector);
    this.throttler = this.app.get(PorchThrottlerGuard);
    this.httpLogger = this.app.get(HttpLogging).httpLogger();
    this.prototypes = this.app.getHttpAdapter().getInstance() as ExpressPrototypes;
    for (const route of this.registry.routes) {
      const handler = (route.controller.prototype as Record<string, unknown>)[route.method];
      if (typeof handler !== 'function')
        throw new Error(`hot route ${route.path}: no method ${route.method}`);
      const access = reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [
        handler,
        route.controller,
      ]);
      if (access !== 'public') throw new Error(`hot route ${route.path}: must be @Public()`);
      const compiled = { route, handler: handler as CompiledRoute['handler'] };
      const full = `/${this.prefix}${route.path}`;
      const colon = full.lastIndexOf('/:');
      if (colon === -1) this.exact.set(full, compiled);
      else this.withParam.set(full.slice(0, colon + 1), compiled);
    }
  }
}
