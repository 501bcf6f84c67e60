import { readdirSync } from 'node:fs';
import { MIGRATIONS_PATH } from '#porch/core';
import { MigrateCommand } from '../../apps/manage/src/commands/migrate.command.js';
import { createEmptyDatabase } from '../utils/database.js';
import { createManageApp, type ManageApp } from '../utils/manage.js';

describe('manage migrate', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let m: ManageApp;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    m = await createManageApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await m.close();
    await db.drop();
  });

  it('builds the whole schema on an empty database, then has nothing left to do', async () => {
    const tables = `select count(*)::int as n from information_schema.tables
                     where table_schema = 'public' and table_name = any($1)`;
    const ours = ['users', 'auth_tokens', 'admin_session'];
    expect(await m.query(tables, [ours])).toEqual([{ n: 0 }]);

    await m.run(MigrateCommand);

    expect(await m.query(tables, [ours])).toEqual([{ n: ours.length }]);
    const files = readdirSync(MIGRATIONS_PATH).filter((f) => /^Migration.*\.ts$/.test(f));
    const applied = await m.query<{ name: string }>('select name from mikro_orm_migrations');
    expect(applied.map((r) => r.name).sort()).toEqual(
      files.map((f) => f.replace(/\.ts$/, '')).sort(),
    );
    expect(await m.orm.getMigrator().getPendingMigrations()).toEqual([]);

    await m.run(MigrateCommand); // again: no-op, no error
    expect(await m.query('select count(*)::int as n from mikro_orm_migrations')).toEqual([
      { n: files.length },
    ]);
  });
});
