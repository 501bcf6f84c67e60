import { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import supertest from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { configureApp, PorchExpressAdapter } from '#porch/core';
import { AppModule } from '../../apps/api/src/app.module.js';
import { createTestDatabase } from './database.js';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  orm: MikroORM;
  /** A fresh EntityManager fork for arranging and asserting rows. */
  em(): EntityManager;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment overrides for this app only. */
  env?: Record<string, string>;
  /** Extra modules (e.g. a probe controller) mounted beside the real ones. */
  modules?: Array<Type<unknown> | DynamicModule>;
  /** A migrated database of the test's own (its server, e.g. one it stops); else a fresh clone. */
  databaseUrl?: string;
}

/**
 * Boots the real application (same modules, same pipeline as main.ts) on a database of its own.
 */
export async function createTestApp({
  env = {},
  modules = [],
  databaseUrl,
}: TestAppOptions = {}): Promise<TestApp> {
  const db = databaseUrl
    ? { url: databaseUrl, drop: async () => undefined }
    : await createTestDatabase();
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: db.url, MIGRATE_ON_START: 'false' }, env);
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule, ...modules],
    }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>(new PorchExpressAdapter(), {
      bodyParser: false,
      bufferLogs: true,
    });
    configureApp(app);
    await app.init();
    // Listen once: supertest would otherwise listen and close per request, and concurrent
    // requests would reset each other's connections.
    await app.listen(0, '127.0.0.1');
    const orm = app.get<MikroORM>(MikroORM);
    return {
      app,
      http: supertest(app.getHttpServer()),
      orm,
      em: () => orm.em.fork(),
      databaseUrl: db.url,
      close: async () => {
        await app.close();
        await db.drop();
      },
    };
  } finally {
    process.env = saved;
  }
}
