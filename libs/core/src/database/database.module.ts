import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  OnApplicationShutdown,
  OnModuleInit,
  RequestMethod,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DatabaseServer, resolveDatabaseServer } from './database-server.js';
import { ormOptions } from './orm-options.js';
import { ExpiredRowsCleaner } from './expired-rows.js';
import { IDEMPOTENCY_KEYS_SWEEP } from '../http/idempotency/idempotency.store.js';
import { withAdvisoryLock } from './advisory-lock.js';
import type pg from 'pg';
import { RequestContextMiddleware, routesWithoutRequestContext } from './request-context.js';
import { createStatementPool } from './raw-query.js';

@Global()
@Module({
  providers: [{ provide: DatabaseServer, inject: [AppConfig], useFactory: resolveDatabaseServer }],
  exports: [DatabaseServer],
})
class DatabaseServerModule {}

/** Applies pending migrations at start (MIGRATE_ON_START), before any module reads its tables. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private statements?: pg.Pool;
  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    @Inject(DatabaseServer) private readonly server: DatabaseServer,
  ) {}

  async onModuleInit(): Promise<void> {
    // rawQuery's prepared statements: a pg pool of this module's own (see raw-query.ts).
    this.statements = createStatementPool(
      this.orm.em as EntityManager,
      this.server.url,
      this.config.DATABASE_POOL_MAX,
    );
    // An idle connection PostgreSQL dropped: the pool discards it and opens another when needed.
    this.statements.on('error', (error) =>
      this.logger.warn(`statement pool: a connection was lost (${error.message})`),
    );
    if (!this.config.MIGRATE_ON_START) return;
    // Several instances may start at once: one migrates, the others wait and find nothing to do.
    const applied = await withAdvisoryLock(this.server.url, 'porch:migrations', () =>
      this.orm.getMigrator().up(),
    );
    if (applied.length)
      this.logger.log(
        `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      );
  }

  /** The ORM must close before an embedded PostgreSQL this process owns is stopped. */
  async onApplicationShutdown(): Promise<void> {
    await this.statements?.end();
    await this.orm.close(true);
    await this.server.stop();
  }
}

@Module({})
export class DatabaseModule implements NestModule {
  /**
   * Every request runs in a MikroORM request context (`RequestContext.create`), but for the
   * routes of controllers marked `WithoutRequestContext`.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(RequestContextMiddleware)
      .exclude(...routesWithoutRequestContext())
      .forRoutes({ path: '{*all}', method: RequestMethod.ALL });
  }

  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        DatabaseServerModule,
        MikroOrmModule.forRootAsync({
          driver: PostgreSqlDriver,
          inject: [AppConfig, DatabaseServer],
          useFactory: (config: AppConfig, server: DatabaseServer) => ({
            ...ormOptions(config, server.url),
            autoLoadEntities: true,
            registerRequestContext: false,
          }),
        }),
      ],
      providers: [
        DatabaseLifecycle,
        // Core's own expired rows; each module registers its own (accounts: auth_tokens).
        {
          provide: ExpiredRowsCleaner,
          inject: [EntityManager],
          useFactory: (em: EntityManager) => {
            const cleaner = new ExpiredRowsCleaner(em);
            cleaner.register(IDEMPOTENCY_KEYS_SWEEP);
            return cleaner;
          },
        },
      ],
      exports: [DatabaseServerModule, ExpiredRowsCleaner],
    };
  }
}
