import type { AdminModuleOptions } from '@adminjs/nestjs';
import { Logger } from '@nestjs/common';
import type AdminJS from 'adminjs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import session from 'express-session';
import {
  flattenValidationErrors,
  NotFoundProblem,
  problem,
  sendProblem,
  toProblem,
  ValidationProblem,
} from '#porch/core';
import type { PorchResource } from './adapter/porch-resource.js';
import type { AdminAuthService } from './admin-auth.service.js';
import { adminLoginHandler } from './admin-login.js';
import { ExportQueryDto } from './exports/dto/export-query.dto.js';
import type { ExportFormat, ExportsService } from './exports/exports.service.js';
import { sendCsv } from './exports/send-csv.js';

/** What PorchAdminLoader needs beyond @adminjs/nestjs's options. */
export interface PorchAdminModuleOptions extends AdminModuleOptions {
  /** Prebuilt browser bundles (production), served ahead of AdminJS. */
  assetsDir?: string;
}

declare module 'express-session' {
  interface SessionData {
    adminUser?: { id?: string; email: string };
  }
}

/**
 * The panel's router, mounted at its root (ADMIN_ROOT), in this order:
 *  1. prebuilt bundles (production), static and cacheable, without touching the session store;
 *  2. a CSRF check on the panel's API: the SPA calls it same-origin, and some of its actions are
 *     GET requests that change data (AdminJS's "restore"-style buttons);
 *  3. the session (connect-pg-simple), then a re-check that its admin still holds
 *     `admin.access` (AccessService), who becomes `req.user`; the login form's POST (`adminLoginHandler`: throttled, 429 with Retry-After);
 *  4. `/exports/<name>.csv|.xlsx` for the "Export" actions (`export.read`), on the same
 *     ExportsService as the API, restricted to the list's filters and search (`filters.*`) or a selection (`ids`);
 *  5. AdminJS's router (behind helmet, unlike @adminjs/nestjs's ExpressLoader; core's body
 *     parsers skip `/admin` already).
 */
export class PorchAdminLoader {
  private readonly logger = new Logger('AdminPanel');

  constructor(
    private readonly auth: AdminAuthService,
    private readonly exports: ExportsService,
    /** Export name → the admin resource whose list it exports (`users` → `User`). */
    private readonly exportResources: Readonly<Record<string, string>> = {},
  ) {}

  async router(admin: AdminJS, options: PorchAdminModuleOptions): Promise<Router> {
    const { default: AdminJSExpress } = await import('@adminjs/express');
    const router = express.Router();
    const root = options.adminJsOptions.rootPath ?? '/admin';
    if (!options.auth) throw new Error('the admin panel requires authentication options');

    if (options.assetsDir) {
      router.use(
        '/frontend/assets',
        express.static(options.assetsDir, { index: false, fallthrough: true, maxAge: '1h' }),
      );
    }
    router.use('/api', sameOriginOnly);
    const sessionMiddleware = session({
      ...options.sessionOptions,
      secret: options.auth.cookiePassword,
      name: options.auth.cookieName,
    });
    router.use(sessionMiddleware, this.recheckAdmin);
    const loginPath = (options.adminJsOptions.loginPath ?? `${root}/login`).slice(root.length);
    router.post(loginPath, ...adminLoginHandler(admin, this.auth));
    router.get('/exports/:file', this.exportCsv(admin, `${root}/login`));

    // AdminJS's own session middleware sees req.session and steps aside.
    router.use(
      AdminJSExpress.buildAuthenticatedRouter(
        admin,
        options.auth,
        undefined,
        options.sessionOptions,
        options.formidableOptions,
      ),
    );
    router.use(this.errors);
    return router;
  }

  /**
   * Errors passed on by the session store, the superuser re-check or AdminJS: problem+json as
   * everywhere else (503 with Retry-After while the database is unreachable), never Express's
   * default HTML 500 page.
   */
  readonly errors = (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const body = toProblem(error);
    if (body.status >= 500 && body.status !== 503)
      this.logger.error({ err: error }, 'admin panel error');
    if (res.headersSent) return next(error);
    sendProblem(res, body);
  };

  private readonly recheckAdmin = (req: Request, _res: Response, next: NextFunction): void => {
    const id = req.session?.adminUser?.id;
    if (!req.session?.adminUser) return next();
    this.auth.currentAdmin(id).then((admin) => {
      if (!admin) return req.session.destroy((err: unknown) => next(err));
      req.user = admin;
      next();
    }, next);
  };

  private exportCsv(admin: AdminJS, loginPath: string) {
    return async (req: Request, res: Response): Promise<void> => {
      if (!req.session?.adminUser || !req.user) return res.redirect(loginPath);
      try {
        await this.auth.requireExport(req.user);
        const match = /^([a-z0-9-]+)\.(csv|xlsx)$/.exec(String(req.params.file));
        if (!match) throw new NotFoundProblem();
        const [, name, format] = match;
        // The list's own parameters: its filters and search, or the selected ids.
        const listFilters: Record<string, unknown> = {};
        const rest: Record<string, unknown> = {};
        let ids: string[] | undefined;
        for (const [key, value] of Object.entries(req.query ?? {})) {
          if (key.startsWith('filters.')) listFilters[key.slice('filters.'.length)] = value;
          else if (key === 'ids') ids = String(value).split(',').filter(Boolean);
          else rest[key] = value;
        }
        const query = plainToInstance(ExportQueryDto, rest);
        const errors = validateSync(query, {
          whitelist: true,
          forbidNonWhitelisted: true,
          validationError: { target: false, value: false },
        });
        if (errors.length) throw new ValidationProblem(flattenValidationErrors(errors));
        const resourceId = this.exportResources[name];
        const resource = resourceId
          ? (admin.findResource(resourceId) as unknown as PorchResource)
          : undefined;
        const scoped = ids !== undefined || Object.keys(listFilters).length > 0;
        const scope =
          resource && scoped ? resource.scopeQuery(unflattenRanges(listFilters), ids) : undefined;
        await sendCsv(
          res,
          await this.exports.open(name, query, { format: format as ExportFormat, scope }),
        );
      } catch (error) {
        const body = toProblem(error);
        if (body.status >= 500) this.logger.error({ err: error }, 'admin export failed');
        if (!res.headersSent) sendProblem(res, body);
        else res.destroy();
      }
    };
  }
}

/** `createdAt~~from` (AdminJS's range keys) → `{ createdAt: { from } }`, as its Filter reads them. */
function unflattenRanges(filters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const [path, bound] = key.split('~~');
    if (bound) out[path] = { ...((out[path] as object) ?? {}), [bound]: value };
    else out[path] = value;
  }
  return out;
}

/**
 * Browsers label every request with Sec-Fetch-Site; the panel's API is only ever called by its
 * own pages. Requests without the header (non-browser clients) carry no ambient cookie risk.
 */
function sameOriginOnly(req: Request, res: Response, next: NextFunction): void {
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return next();
  sendProblem(res, problem(403, 'Cross-site requests to the admin API are refused'));
}
