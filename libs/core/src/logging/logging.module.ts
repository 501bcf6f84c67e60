import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import { Logger, LoggerModule, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import type pino from 'pino';
import { type HttpLogger, type Options as PinoHttpOptions, pinoHttp } from 'pino-http';
import { AppConfig } from '../config/app-config.js';
import { createLogger, flushLogOutput } from './log-output.js';
import { redactQuery } from './redact.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Nest's own start-up lines (each module initialized, each controller and route mapped: about a
 * hundred) are debug lines here; `main.ts` says in a few lines what started. LOG_LEVEL=debug
 * shows them again.
 */
const NEST_BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** nestjs-pino's logger (request-bound lines carry the request id) with Nest's chatter demoted. */
@Injectable()
export class PorchLogger extends Logger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(logger, params);
  }

  /** A logger for before the app exists (NestFactory.create's `logger`), on the same output. */
  static boot(config: AppConfig): PorchLogger {
    const params: Params = { pinoHttp: { logger: createLogger(config) } };
    return new PorchLogger(new PinoLogger(params), params);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && NEST_BOOT_CONTEXTS.has(context))
      super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/**
 * The app's logger and request logger, one instance per app: pino-http's middleware comes first
 * in Express (`configureApp`), so every request is logged — the API, the admin panel, Swagger UI,
 * unknown paths.
 */
@Injectable()
export class HttpLogging implements BeforeApplicationShutdown, OnApplicationShutdown {
  readonly logger: pino.Logger;
  readonly options: PinoHttpOptions;
  private middleware?: HttpLogger;

  constructor(config: AppConfig) {
    this.logger = createLogger(config);
    this.options = {
      logger: this.logger,
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
      // A URL's `?token=`-style parameters lose their values (errors: see createLogger).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.includes('=') ? redactQuery(req.url) : req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    };
  }

  /** The signal that stops the app: the first line of its shutdown. */
  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ context: 'Porch', signal }, `shutting down${signal ? ` (${signal})` : ''}`);
  }

  /**
   * The last line, then what the asynchronous destination still holds. Nest re-raises the
   * shutdown signal once the app is closed, and a process ended by a signal runs no 'exit'
   * handlers, so pino's own flush at exit would not happen: the last requests would be lost.
   */
  onApplicationShutdown(): void {
    this.logger.info({ context: 'Porch', uptime: Math.round(process.uptime()) }, 'stopped');
    flushLogOutput();
  }

  /** A pino-http middleware of these settings (built once). */
  httpLogger(): HttpLogger {
    return (this.middleware ??= pinoHttp(this.options));
  }
}

/** Structured logs (pino) with one request id per request, echoed as `X-Request-Id`. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [HttpLogging],
      inject: [HttpLogging],
      // The request logger itself is Express's first middleware (see HttpLogging); nestjs-pino
      // only binds each request's logger for the app's own log lines.
      useFactory: (logging: HttpLogging): Params => ({
        pinoHttp: { logger: logging.logger },
        useExisting: true,
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
  providers: [PorchLogger],
  exports: [PorchLogger],
})
export class LoggingModule {}
