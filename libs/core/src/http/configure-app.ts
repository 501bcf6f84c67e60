import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppConfig, trustProxyWarning } from '../config/app-config.js';
import { ProblemDetailsFilter } from '../errors/problem.filter.js';
import { createValidationPipe } from '../errors/validation.js';
import { HttpLogging, PorchLogger } from '../logging/logging.module.js';
import { verifyJsonDepth } from './input-checks.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { apiPaths, mountSwagger } from './swagger.js';

export const API_PREFIX = 'api/v1';
export const JSON_BODY_LIMIT = '5mb';

/** `TRUST_PROXY`: false | true | hop count | comma-separated addresses, as Express reads them. */
export function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Everything the HTTP app needs besides its modules; shared by `main.ts` and the e2e tests so
 * that tests exercise the same pipeline. Create the app with `{ bodyParser: false }` and a logger
 * (`PorchLogger.boot(config)`, or `bufferLogs: true`): the body parsers are registered here.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(PorchLogger));
  // First, so that every request gets its id and its log line: the API, the admin panel,
  // Swagger UI, unknown paths, and body-parser refusals.
  app.use(app.get(HttpLogging).httpLogger());
  app.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  const proxyWarning = trustProxyWarning(config);
  if (proxyWarning) app.get(PorchLogger).warn(proxyWarning, 'Config');
  app.disable('x-powered-by');
  app.set('etag', 'strong');

  // Swagger UI and AdminJS run inline scripts; the JSON API gets the strict default policy.
  const strict = helmet();
  const relaxed = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/admin') || req.path.startsWith('/docs') ? relaxed : strict)(
      req,
      res,
      next,
    ),
  );
  if (config.CORS_ORIGINS.length) {
    app.enableCors({
      origin: config.CORS_ORIGINS.includes('*') ? true : config.CORS_ORIGINS,
      exposedHeaders: [
        'Retry-After',
        'X-Request-Id',
        'ETag',
        'Content-Disposition',
        'Idempotent-Replayed',
      ],
    });
  }
  // A known path with a method it does not answer: 405 with Allow, before any body is read.
  app.use(methodNotAllowed(() => apiPaths(app)));
  // AdminJS parses its own bodies (formidable): keep the API's parsers off its routes, or its
  // login form would wait forever for a body already consumed.
  const jsonParser = express.json({
    limit: JSON_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    verify: verifyJsonDepth,
  });
  const formParser = express.urlencoded({ limit: JSON_BODY_LIMIT, extended: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/admin')) return next();
    jsonParser(req, res, (err?: unknown) => (err ? next(err) : formParser(req, res, next)));
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  // Signals are main.ts's (installGracefulShutdown): drain first, then close.
  mountSwagger(app);
  return app;
}
