import { MikroORM } from '@mikro-orm/postgresql';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The committed migrations build exactly the schema the entities describe: no drift either way. */
describe('database schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('matches the entities after all migrations ran', async () => {
    const sql = await t.app.get(MikroORM).getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(sql.trim()).toBe('');
  });
});
