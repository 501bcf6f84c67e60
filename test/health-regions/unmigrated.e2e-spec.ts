import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import supertest from 'supertest';
import { configureApp, PorchExpressAdapter } from '#porch/core';
import { FsaHealthRegion, HealthRegionsCatalog, HealthRegionsLoader } from '#porch/health-regions';
import { AppModule } from '../../apps/api/src/app.module.js';
import { databaseUrl } from '../utils/database.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.PORCH_TEST_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `manage migrate` starts every module before it migrates: on a database with pending migrations
 * the loader must stand aside (not fail), and load once the schema is there.
 */
describe('health-regions loader before migrations', () => {
  const name = `${process.env.PORCH_TEST_RUN ?? 'porch_t'}_empty_${randomBytes(4).toString('hex')}`;
  let app: NestExpressApplication;

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const saved = { ...process.env };
    Object.assign(process.env, { DATABASE_URL: databaseUrl(name), MIGRATE_ON_START: 'false' });
    try {
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      app = moduleRef.createNestApplication<NestExpressApplication>(new PorchExpressAdapter(), {
        bodyParser: false,
        bufferLogs: true,
      });
      configureApp(app);
      await app.init();
    } finally {
      process.env = saved;
    }
  });
  afterAll(async () => {
    await app.close();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('starts without loading, then loads once the migrations ran', async () => {
    const loader = app.get(HealthRegionsLoader);
    const catalog = app.get(HealthRegionsCatalog);
    expect((await loader.load()).status).toBe('not-migrated');
    await supertest(app.getHttpServer()).get('/api/v1/fsa/M5V').expect(404);

    await app.get(MikroORM).getMigrator().up();
    expect((await loader.load()).status).toBe('loaded');
    expect(await app.get(MikroORM).em.fork().count(FsaHealthRegion)).toBe(1956);
    expect(await catalog.refresh()).toBe(true);
    await supertest(app.getHttpServer()).get('/api/v1/fsa/M5V').expect(200);
  });
});
