import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Module, type OnApplicationShutdown, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { type HttpLogger, type Options as PinoHttpOptions, pinoHttp } from 'pino-http';
import { AppConfig } from '../config/app-config.js';
import { redact, redactQuery } from './redact.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request logger's settings, one instance per app: nestjs-pino builds its pino-http middleware
 * from them, and the hot routes (`hot-routes.ts`) build a second one on the same destination, so
 * their requests are logged line for line alike.
 */
@Injectable()
export class HttpLogging implements OnApplicationShutdown {
  readonly options: PinoHttpOptions;
  readonly destination: pino.DestinationStream;
  private middleware?: HttpLogger;

  constructor(config: AppConfig) {
    this.options = {
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: {
        ignore: (req: IncomingMessage) => req.url?.startsWith('/health/') ?? false,
      },
      // Only these fields are logged: headers (Authorization, cookies) never reach the log,
      // which also spares a redaction pass over every request's child logger. Unwrapped:
      // the serializers read the raw request and response, instead of pino-std-serializers
      // first copying each request (headers included) into an object of its own.
      wrapSerializers: false,
      // Every logged error (and a URL's `?token=`-style parameters) loses its secrets first.
      serializers: {
        err: (err: unknown) => redact(err instanceof Error ? pino.stdSerializers.err(err) : err),
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.includes('=') ? redactQuery(req.url) : req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    };
    // Asynchronous writes: under load, lines written while one write is in flight go out
    // together in the next. Nothing waits for a size threshold, so a quiet server's lines
    // still appear at once; pending lines are flushed synchronously on exit. Jest, which
    // boots many apps in one process, keeps plain synchronous writes.
    this.destination = pino.destination({ dest: 1, sync: config.NODE_ENV === 'test' });
  }

  /**
   * Writes out what the asynchronous destination still holds. Nest re-raises the shutdown
   * signal once the app is closed, and a process ended by a signal runs no 'exit' handlers, so
   * pino's own flush at exit would not happen: the last requests and the shutdown would be lost.
   */
  onApplicationShutdown(): void {
    const destination = this.destination as pino.DestinationStream & { flushSync?: () => void };
    try {
      destination.flushSync?.();
    } catch {
      // Not ready yet (nothing written) or already closed: nothing to flush.
    }
  }

  /** A pino-http middleware of these settings (built once). */
  httpLogger(): HttpLogger {
    return (this.middleware ??= pinoHttp(this.options, this.destination));
  }
}

/** Structured JSON logs (pino) with one request id per request, echoed as `X-Request-Id`. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [HttpLogging],
      inject: [HttpLogging],
      // The request logger itself runs first of all (configureApp): body-parser refusals are
      // logged and carry X-Request-Id too. nestjs-pino then only binds each request's logger.
      useFactory: (logging: HttpLogging) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: [logging.options, logging.destination],
        useExisting: true,
      }),
    }),
  ],
})
export class LoggingModule {}
