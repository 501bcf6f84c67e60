import { AbstractLoader, AdminModule, type AdminModuleOptions } from '@adminjs/nestjs';
import { Database, Resource } from '@adminjs/mikroorm';
import { MikroORM } from '@mikro-orm/core';
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import AdminJS from 'adminjs';
import ConnectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import { AppConfig, DatabaseServer } from '#porch/core';
import { randomBytes } from 'node:crypto';
import { PorchAdminLoader } from './admin.loader.js';

AdminJS.registerAdapter({ Database, Resource });

interface AdminModuleInternals {
  httpAdapterHost: HttpAdapterHost;
  loader: AbstractLoader;
  adminModuleOptions: AdminModuleOptions;
}

/**
 * @adminjs/nestjs's AdminModule, minus `admin.watch()`: that rollup watcher never closes (Jest
 * never exits) and only matters while editing custom components (ADMIN_WATCH=true). Without
 * it, development builds the components bundle on first request; production prebuilds it.
 */
@Module({})
export class AdminPanelModule extends AdminModule implements OnApplicationShutdown {
  static forRoot(): DynamicModule {
    const base = AdminModule.createAdminAsync({
      inject: [AppConfig, MikroORM, DatabaseServer],
      customLoader: PorchAdminLoader,
      useFactory: (config: AppConfig, orm: MikroORM, db: DatabaseServer): AdminModuleOptions => {
        const PgStore = ConnectPgSimple(session);
        const secret = config.SESSION_SECRET ?? randomBytes(32).toString('hex');
        return {
          adminJsOptions: {
            rootPath: '/admin',
            resources: [],
            branding: { companyName: 'Porch', withMadeWithLove: false },
          },
          auth: {
            // The admin issue replaces this with superuser login against the users table.
            authenticate: async () => null,
            cookieName: 'porch_admin',
            cookiePassword: secret,
          },
          sessionOptions: {
            store: new PgStore({
              conString: db.url,
              tableName: 'admin_session',
              createTableIfMissing: false,
            }),
            secret,
            resave: false,
            saveUninitialized: false,
            name: 'porch_admin',
            proxy: config.TRUST_PROXY !== 'false',
            cookie: {
              httpOnly: true,
              sameSite: 'lax',
              secure: config.isProduction ? 'auto' : false,
              maxAge: 8 * 3600 * 1000,
            },
          },
        };
      },
    });
    return { ...base, module: AdminPanelModule };
  }

  override async onModuleInit(): Promise<void> {
    const self = this as unknown as AdminModuleInternals;
    const admin = new AdminJS(self.adminModuleOptions.adminJsOptions);
    if (process.env.ADMIN_WATCH === 'true') await admin.watch();
    await self.loader.register(admin, self.httpAdapterHost.httpAdapter, {
      ...self.adminModuleOptions,
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
