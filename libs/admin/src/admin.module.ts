import { MikroORM } from '@mikro-orm/core';
import { DynamicModule, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Application, NextFunction, Request, Response } from 'express';
import { AppConfig, DatabaseServer, sendProblem, toProblem } from '#porch/core';
import type { AdminPanel } from './admin-panel.js';
import { AdminAuthService } from './admin-auth.service.js';
import { ADMIN_ROOT } from './admin-root.js';
import { AuditModule } from './audit/audit.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { ExportsService } from './exports/exports.service.js';
import { resolveSessionSecret } from './session-secret.js';

/**
 * The admin panel at ADMIN_ROOT, built on its first request. AdminJS (with its bundler, React
 * and Babel) is about 60 MB of a process's memory, which an API process that never serves the
 * panel does not carry; the first panel page of a process waits about a second for it instead.
 * Settings are checked at start-up all the same (a missing SESSION_SECRET in production fails it).
 */
@Module({})
export class AdminPanelModule implements OnModuleInit, OnApplicationShutdown {
  private panel?: Promise<AdminPanel>;
  private readonly logger = new Logger('AdminPanel');

  static forRoot(): DynamicModule {
    return {
      module: AdminPanelModule,
      imports: [ExportsModule, AuditModule],
      providers: [AdminAuthService],
    };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly orm: MikroORM,
    private readonly db: DatabaseServer,
    private readonly auth: AdminAuthService,
    private readonly exports: ExportsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const secret = resolveSessionSecret(this.config);
    const app = this.adapterHost.httpAdapter?.getInstance<Application>();
    if (!app) return; // no HTTP server (an application context)
    app.use(ADMIN_ROOT, (req: Request, res: Response, next: NextFunction) => {
      this.load(secret).then(
        (panel) => panel.router(req, res, next),
        (error: unknown) => (res.headersSent ? next(error) : sendProblem(res, toProblem(error))),
      );
    });
  }

  private load(secret: string): Promise<AdminPanel> {
    this.panel ??= import('./admin-panel.js')
      .then(({ createAdminPanel }) =>
        createAdminPanel({
          config: this.config,
          orm: this.orm,
          db: this.db,
          auth: this.auth,
          exports: this.exports,
          moduleRef: this.moduleRef,
          secret,
        }),
      )
      .catch((error: unknown) => {
        // Not kept: the next request tries again.
        this.panel = undefined;
        this.logger.error({ err: error }, 'the admin panel failed to load');
        throw error;
      });
    return this.panel;
  }

  async onApplicationShutdown(): Promise<void> {
    const panel = await this.panel?.catch(() => undefined);
    await panel?.close();
  }
}
