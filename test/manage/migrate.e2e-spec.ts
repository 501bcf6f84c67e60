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

  it('makes existing group memberships pending and rewrites emails in NFKC form', async () => {
    const fresh = await createEmptyDatabase();
    const app = await createManageApp({ databaseUrl: fresh.url });
    try {
      await app.run(MigrateCommand, [], { to: 'Migration20261122000600_admin' });
      const user = (email: string) =>
        app.query<{ id: string }>(
          `insert into users (id, email, password, name, created_at, updated_at)
           values (gen_random_uuid(), $1, '!', $1, now(), now()) returning id`,
          [email],
        );
      const [owner] = await user('owner@example.test');
      const [member] = await user('\uff4d\uff45\uff4d\uff42\uff45\uff52@example.test'); // ｍｅｍｂｅｒ
      await user('taken@example.test');
      await user('\uff54aken@example.test'); // ｔaken: its NFKC form is taken
      const [group] = await app.query<{ id: string }>(
        `insert into groups (id, owner_id, name, created_at, updated_at)
         values (gen_random_uuid(), $1, 'Old group', now(), now()) returning id`,
        [owner.id],
      );
      await app.query(
        `insert into group_members (id, group_id, user_id, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, now(), now())`,
        [group.id, member.id],
      );

      await app.run(MigrateCommand);

      expect(await app.query('select status, responded_at from group_members')).toEqual([
        { status: 'pending', responded_at: null },
      ]);
      expect(await app.query('select join_code from groups')).toEqual([{ join_code: null }]);
      const emails = await app.query<{ email: string }>('select email from users order by email');
      expect(emails.map((r) => r.email)).toEqual([
        'member@example.test',
        'owner@example.test',
        'taken@example.test',
        '\uff54aken@example.test',
      ]);
    } finally {
      await app.close();
      await fresh.drop();
    }
  });
});
