import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/app-config.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Structured JSON logs (pino) with one request id per request, echoed as `X-Request-Id`. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: [
          {
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
            serializers: {
              err: pino.stdSerializers.err,
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
          // Asynchronous writes: under load, lines written while one write is in flight go out
          // together in the next. Nothing waits for a size threshold, so a quiet server's lines
          // still appear at once; pending lines are flushed synchronously on exit. Jest, which
          // boots many apps in one process, keeps plain synchronous writes.
          pino.destination({ dest: 1, sync: config.NODE_ENV === 'test' }),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
