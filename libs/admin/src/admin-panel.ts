/**
 * The AdminJS panel itself. Everything that loads AdminJS (and its bundler, React and Babel:
 * about 60 MB of memory) is here, imported by AdminPanelModule on the panel's first request.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@adminjs/mikroorm';
import type { MikroORM } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import AdminJS from 'adminjs';
import ConnectPgSimple from 'connect-pg-simple';
import type { Request, Router } from 'express';
import session from 'express-session';
import type { AppConfig, DatabaseServer } from '#porch/core';
import { PorchResource } from './adapter/porch-resource.js';
import type { AdminAuthService } from './admin-auth.service.js';
import { PorchAdminLoader, type PorchAdminModuleOptions } from './admin.loader.js';
import { componentLoader, Components } from './components/index.js';
import type { ExportsService } from './exports/exports.service.js';
import { dashboardHandler } from './dashboard.js';
import {
  ADMIN_RESOURCES,
  ADMIN_ROOT,
  buildResource,
  propertyLabels,
  resourceId,
  type AdminServices,
} from './resources/index.js';

// Resources are registered one by one (never `databases: [orm]`), so only Resource matters.
AdminJS.registerAdapter({ Database, Resource: PorchResource });

/** Where AdminJS writes bundles (preload.ts points it at dist/adminjs), and where prebuilt ones are. */
const bundleDir = () => process.env.ADMIN_JS_TMP_DIR ?? '.adminjs';
const PREBUILT = 'components.bundle.js';

/**
 * Outside production AdminJS bundles the custom components on the first request for them and
 * then serves that file forever. Drop it when the components changed since, so it is rebuilt.
 */
function dropStaleComponentsBundle(admin: AdminJS): void {
  const files = Object.entries(admin.componentLoader.getComponents()).map(([name, base]) => {
    const file = ['.jsx', '.tsx', '.js', '.ts'].map((ext) => base + ext).find(existsSync);
    return [name, base, file ? statSync(file).mtimeMs : 0];
  });
  const fingerprint = JSON.stringify(files);
  const dir = bundleDir();
  const marker = join(dir, 'porch-components.json');
  const previous = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
  if (previous === fingerprint) return;
  rmSync(join(dir, 'bundle.js'), { force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, fingerprint);
}

/** What building the panel takes from the app. */
export interface AdminPanelDeps {
  config: AppConfig;
  orm: MikroORM;
  db: DatabaseServer;
  auth: AdminAuthService;
  exports: ExportsService;
  moduleRef: ModuleRef;
  /** The session cookie key, resolved once at start-up (`resolveSessionSecret`). */
  secret: string;
}

/** The panel as built on its first request: its router (mounted at ADMIN_ROOT) and its cleanup. */
export interface AdminPanel {
  router: Router;
  close(): Promise<void>;
}

/** AdminJS's options: resources, branding, login over AdminAuthService, sessions in PostgreSQL. */
function panelOptions(deps: AdminPanelDeps): PorchAdminModuleOptions {
  const { config, orm, db, auth, moduleRef, secret } = deps;
  const PgStore = ConnectPgSimple(session);
  const services: AdminServices = { get: (type) => moduleRef.get(type, { strict: false }) };
  const context = { orm, services, exports: deps.exports, all: ADMIN_RESOURCES };
  return {
    adminJsOptions: {
      rootPath: ADMIN_ROOT,
      loginPath: `${ADMIN_ROOT}/login`,
      logoutPath: `${ADMIN_ROOT}/logout`,
      resources: ADMIN_RESOURCES.map((definition) => buildResource(definition, context)),
      dashboard: {
        component: Components.Dashboard,
        handler: dashboardHandler(orm, ADMIN_RESOURCES),
      },
      componentLoader,
      branding: { companyName: 'Porch', logo: false, withMadeWithLove: false },
      locale: {
        language: 'en',
        translations: {
          en: {
            // Resource names, and every field's label (Django's verbose_name), per resource.
            labels: Object.fromEntries(ADMIN_RESOURCES.map((d) => [resourceId(d), d.label])),
            resources: Object.fromEntries(
              ADMIN_RESOURCES.map((d) => [resourceId(d), { properties: propertyLabels(d, orm) }]),
            ),
            actions: {
              exportCsv: 'Export',
              bulkExportCsv: 'Export selected',
              restore: 'Restore',
              bulkRestore: 'Restore selected',
              history: 'History',
              deactivate: 'Deactivate',
              activate: 'Activate',
              bulkDeactivate: 'Deactivate selected',
              bulkActivate: 'Activate selected',
              cancelInvite: 'Cancel invite',
              bulkCancelInvite: 'Cancel selected invites',
              bulkDelete: 'Delete selected',
            },
            messages: {
              tooManyRequests:
                'Too many failed logins for this email from your address. Try again later.',
            },
            components: {
              Login: {
                welcomeHeader: 'Porch administration',
                welcomeMessage:
                  'For superusers. Every change made here is recorded in the audit log.',
              },
            },
          },
        },
      },
      settings: { defaultPerPage: 20 },
    },
    auth: {
      // The form's POST is answered by adminLoginHandler (admin.loader.ts) before AdminJS sees
      // it; AdminJS still wants this, and it checks the same way should anything else call it.
      authenticate: async (email, password, ctx?: { req?: Request }) => {
        const outcome = await auth.login(email, password, ctx?.req?.ip);
        if (outcome.kind === 'throttled') throw new Error('tooManyRequests');
        return outcome.kind === 'admin' ? outcome.admin : null;
      },
      cookieName: 'porch_admin',
      cookiePassword: secret,
    },
    sessionOptions: {
      store: new PgStore({
        conString: db.url,
        tableName: 'admin_session',
        createTableIfMissing: false,
        // Its own pool's errors (connections PostgreSQL dropped) go to the log, not the console.
        errorLog: (...args: unknown[]) =>
          new Logger('AdminSessions').warn(args.map((a) => (a as Error)?.message ?? a).join(' ')),
        pruneSessionInterval: config.NODE_ENV === 'test' ? false : 15 * 60,
      }),
      secret,
      resave: false,
      saveUninitialized: false,
      name: 'porch_admin',
      // No `proxy` of its own: express-session then asks Express (`req.secure`), which reads
      // X-Forwarded-Proto only from the hops TRUST_PROXY trusts.
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        path: ADMIN_ROOT,
        // Secure whenever the request came over HTTPS, directly or to a trusted proxy.
        secure: 'auto',
        maxAge: 8 * 3600 * 1000,
      },
    },
  };
}

/**
 * Builds the panel: AdminJS over the resources, minus `admin.watch()` (that rollup watcher never
 * closes, so Jest never exits; ADMIN_WATCH=true brings it back while editing components), with
 * the prebuilt production bundle (`npm run build` makes it) so nothing is bundled at run time.
 */
export async function createAdminPanel(deps: AdminPanelDeps): Promise<AdminPanel> {
  const options = panelOptions(deps);
  const admin = new AdminJS(options.adminJsOptions);
  const logger = new Logger('AdminPanel');
  if (process.env.NODE_ENV === 'production') {
    if (existsSync(join(bundleDir(), PREBUILT))) {
      process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
      options.assetsDir = bundleDir();
    } else {
      logger.warn(
        `no prebuilt admin bundle in ${bundleDir()} (npm run build makes one): bundling now`,
      );
      await admin.initialize();
      process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
    }
  } else {
    dropStaleComponentsBundle(admin);
  }
  if (process.env.ADMIN_WATCH === 'true') await admin.watch();
  const exportResources = Object.fromEntries(
    ADMIN_RESOURCES.filter((d) => d.exportName).map((d) => [d.exportName, resourceId(d)]),
  );
  const loader = new PorchAdminLoader(deps.auth, deps.exports, exportResources);
  const router = await loader.router(admin, { ...options, adminJsOptions: admin.options });
  return {
    router,
    // The session store holds its own pg pool.
    close: async () => {
      const store = options.sessionOptions?.store as { close?: () => Promise<void> } | undefined;
      await store?.close?.();
    },
  };
}
