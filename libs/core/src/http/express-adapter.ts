import http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

type LegacyConstructor = (this: object, ...args: unknown[]) => void;

/**
 * A constructor for Node's HTTP server whose instances have `proto` as their own prototype, or
 * undefined where `Base` is a class (it cannot then be called on an object of our choosing).
 */
function constructorWithPrototype(Base: unknown, proto: object): LegacyConstructor | undefined {
  if (typeof Base !== 'function' || /^class\b/.test(Function.prototype.toString.call(Base)))
    return undefined;
  const base = Base as LegacyConstructor;
  const made = function (this: object, ...args: unknown[]) {
    base.call(this, ...args);
  } as LegacyConstructor;
  made.prototype = proto;
  return made;
}

/**
 * Nest's Express adapter, with one change: the HTTP server creates each request and response
 * with the Express app's `app.request` / `app.response` as its prototype. Express sets those
 * prototypes on every request (`Object.setPrototypeOf` in `app.handle`); on an object that
 * already has them the call changes nothing, and V8 keeps the request and response objects on
 * their fast paths. Changing the prototype of a live object instead de-optimizes every later
 * property access on it: on the benchmark machine a hello-world Express 5 route took 165 µs of
 * CPU per request, and 57 µs with this server (see expressjs/express#5998). Behaviour is
 * unchanged: the same prototypes, set earlier. HTTPS and `forceCloseConnections` keep Nest's
 * own server.
 */
export class PorchExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    const app = this.getInstance() as Express;
    const IncomingMessage = constructorWithPrototype(http.IncomingMessage, app.request);
    const ServerResponse = constructorWithPrototype(http.ServerResponse, app.response);
    if (
      options?.httpsOptions ||
      options?.forceCloseConnections ||
      !IncomingMessage ||
      !ServerResponse
    )
      return super.initHttpServer(options);
    this.httpServer = http.createServer(
      {
        IncomingMessage: IncomingMessage as unknown as typeof http.IncomingMessage,
        ServerResponse: ServerResponse as unknown as typeof http.ServerResponse,
      },
      app,
    );
  }
}
