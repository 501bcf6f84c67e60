import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('health, docs and the admin seam', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is live', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('is not ready while a migration is pending, and ready once applied', async () => {
    const conn = t.em().getConnection();
    const [row] = await conn.execute<{ name: string; executed_at: Date }[]>(
      'select name, executed_at from mikro_orm_migrations order by id desc limit 1',
    );
    await conn.execute('delete from mikro_orm_migrations where name = ?', [row.name]);
    const pending = await t.http.get('/health/ready').expect(503);
    expect(pending.headers['content-type']).toMatch(/problem\+json/);
    expect(pending.body.checks.migrations).toEqual({ status: 'down', pending: [row.name] });

    await conn.execute('insert into mikro_orm_migrations (name, executed_at) values (?, ?)', [
      row.name,
      row.executed_at,
    ]);
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.details).toEqual({ database: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('serves Swagger UI and the OpenAPI document', async () => {
    const ui = await t.http.get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/health/ready']).toBeDefined();
    expect(doc.body.components.securitySchemes.oauth2.flows.password.tokenUrl).toBe(
      '/api/v1/auth/token',
    );
  });

  it('mounts the AdminJS login page at /admin/login', async () => {
    const res = await t.http.get('/admin/login').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('AdminJS');
  });
});
