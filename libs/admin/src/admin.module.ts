import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbstractLoader, AdminModule } from '@adminjs/nestjs';
import { Database } from '@adminjs/mikroorm';
import { MikroORM } from '@mikro-orm/core';
import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import AdminJS from 'adminjs';
import ConnectPgSimple from 'connect-pg-simple';
import type { Request } from 'express';
import session from 'express-session';
import { AppConfig, DatabaseServer } from '#porch/core';
import { PorchResource } from './adapter/porch-resource.js';
import { AdminAuthService } from './admin-auth.service.js';
import { PorchAdminLoader, type PorchAdminModuleOptions } from './admin.loader.js';
import { AuditModule } from './audit/audit.module.js';
import { componentLoader } from './components/index.js';
import { ExportsModule } from './exports/exports.module.js';
import {
  ADMIN_RESOURCES,
  ADMIN_ROOT,
  buildResource,
  type AdminServices,
} from './resources/index.js';
import { resolveSessionSecret } from './session-secret.js';

// Resources are registered one by one (never `databases: [orm]`), so only Resource matters.
AdminJS.registerAdapter({ Database, Resource: PorchResource });

interface AdminModuleInternals {
  httpAdapterHost: HttpAdapterHost;
  loader: AbstractLoader;
  adminModuleOptions: PorchAdminModuleOptions;
}

/** Where AdminJS writes bundles (preload.ts points it at dist/adminjs), and where prebuilt ones are. */
const bundleDir = () => process.env.ADMIN_JS_TMP_DIR ?? '.adminjs';
const PREBUILT = 'components.bundle.js';

/** A new session id at login, so a session id known before login is worth nothing after. */
function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())),
  );
}

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

/**
 * @adminjs/nestjs's AdminModule, minus `admin.watch()` (that rollup watcher never closes, so
 * Jest never exits; ADMIN_WATCH=true brings it back while editing components), plus: a
 * prebuilt production bundle (`npm run build` makes it) so start-up does no bundling.
 */
@Module({})
export class AdminPanelModule extends AdminModule implements OnApplicationShutdown {
  static forRoot(): DynamicModule {
    const base = AdminModule.createAdminAsync({
      imports: [ExportsModule, AuditModule],
      inject: [AppConfig, MikroORM, DatabaseServer, AdminAuthService, ModuleRef],
      customLoader: PorchAdminLoader,
      useFactory: (
        config: AppConfig,
        orm: MikroORM,
        db: DatabaseServer,
        auth: AdminAuthService,
        moduleRef: ModuleRef,
      ): PorchAdminModuleOptions => {
        const PgStore = ConnectPgSimple(session);
        const secret = resolveSessionSecret(config);
        const services: AdminServices = { get: (type) => moduleRef.get(type, { strict: false }) };
        return {
          adminJsOptions: {
            rootPath: ADMIN_ROOT,
            loginPath: `${ADMIN_ROOT}/login`,
            logoutPath: `${ADMIN_ROOT}/logout`,
            resources: ADMIN_RESOURCES.map((definition) =>
              buildResource(definition, orm, services),
            ),
            componentLoader,
            branding: { companyName: 'Porch', logo: false, withMadeWithLove: false },
            locale: {
              language: 'en',
              translations: {
                en: {
                  actions: { exportCsv: 'Export CSV', restore: 'Restore' },
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
            authenticate: async (email, password, ctx?: { req?: Request }) => {
              const admin = await auth.authenticate(email, password, ctx?.req?.ip);
              if (admin && ctx?.req?.session) await regenerate(ctx.req);
              return admin;
            },
            cookieName: 'porch_admin',
            cookiePassword: secret,
          },
          sessionOptions: {
            store: new PgStore({
              conString: db.url,
              tableName: 'admin_session',
              createTableIfMissing: false,
              pruneSessionInterval: config.NODE_ENV === 'test' ? false : 15 * 60,
            }),
            secret,
            resave: false,
            saveUninitialized: false,
            name: 'porch_admin',
            proxy: config.TRUST_PROXY !== 'false',
            cookie: {
              httpOnly: true,
              sameSite: 'lax',
              path: ADMIN_ROOT,
              // 'auto': Secure whenever the request came over HTTPS (behind TRUST_PROXY too).
              secure: config.isProduction ? 'auto' : false,
              maxAge: 8 * 3600 * 1000,
            },
          },
        };
      },
    });
    return {
      ...base,
      module: AdminPanelModule,
      providers: [...(base.providers ?? []), AdminAuthService],
    };
  }

  override async onModuleInit(): Promise<void> {
    const self = this as unknown as AdminModuleInternals;
    const options = self.adminModuleOptions;
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
    await self.loader.register(admin, self.httpAdapterHost.httpAdapter, {
      ...options,
      adminJsOptions: admin.options,
    });
  }

  /** The session store holds its own pg pool. */
  async onApplicationShutdown(): Promise<void> {
    const store = (this as unknown as AdminModuleInternals).adminModuleOptions.sessionOptions
      ?.store as { close?: () => Promise<void> } | undefined;
    await store?.close?.();
  }
}
