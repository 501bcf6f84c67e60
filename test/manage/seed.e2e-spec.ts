import { Injectable, Module } from '@nestjs/common';
import { User } from '#porch/accounts';
import { PorchSeeder, Seeder, type SeedContext } from '#porch/core';
import { SeedCommand } from '../../apps/manage/src/commands/seed.command.js';
import { createManageApp, type ManageApp } from '../utils/manage.js';

/** A module's seeder, plugged in the way parties' or tasks' will be: a decorated provider. */
@PorchSeeder()
@Injectable()
class ProbeSeeder extends Seeder {
  readonly module = 'probe';
  readonly order = 20;
  seen: string[][] = [];
  async seed({ ids }: SeedContext): Promise<void> {
    this.seen.push(await ids(User));
  }
}

@Module({ providers: [ProbeSeeder] })
class ProbeModule {}

describe('manage seed', () => {
  let m: ManageApp;
  beforeAll(async () => {
    m = await createManageApp({ modules: [ProbeModule] });
  });
  afterAll(() => m.close());

  it('--number 15 gives 15 users, valid and unique, and says so', async () => {
    const out = await m.run(SeedCommand, ['accounts'], { number: 15, seed: 7 });
    expect(m.app.get(ProbeSeeder).seen).toEqual([]); // not selected
    expect(out).toContain('accounts: seeded 15 User');
    const users = await m.query<{
      email: string;
      name: string;
      password: string;
      deleted_at: Date | null;
      is_active: boolean;
    }>('select email, name, password, deleted_at, is_active from users');
    expect(users).toHaveLength(15);
    expect(new Set(users.map((u) => u.email)).size).toBe(15);
    for (const u of users) {
      expect(u.email).toMatch(/^[^@\sA-Z]+@example\.(com|org|net)$/);
      expect(u.name).toMatch(/\S+ \S+/);
      expect(u.password).toMatch(/^\$argon2id\$/);
      if (u.deleted_at) expect(u.is_active).toBe(false);
    }
    // Hashed once, shared: argon2 per user would make large seeds crawl.
    expect(new Set(users.map((u) => u.password)).size).toBe(1);
  });

  it('runs again with the same --seed without a duplicate email (the database is checked)', async () => {
    await m.run(SeedCommand, [], { number: 15, seed: 7 });
    const [{ n, emails }] = await m.query<{ n: number; emails: number }>(
      'select count(*)::int as n, count(distinct email)::int as emails from users',
    );
    expect(n).toBe(30);
    expect(emails).toBe(30);
  });

  it('runs every seeder in order; later ones get the ids seeded before them', async () => {
    const probe = m.app.get(ProbeSeeder);
    probe.seen = [];
    const out = await m.run(SeedCommand, [], { number: 4 });
    expect(out.indexOf('accounts: seeded 4 User')).toBeLessThan(out.indexOf('probe: seeded'));
    expect(probe.seen[0]).toHaveLength(4);
    const ids = await m.query<{ id: string }>('select id from users where id = any($1)', [
      probe.seen[0],
    ]);
    expect(ids).toHaveLength(4);
  });

  it('a seeder run alone gets the visible rows already in the database', async () => {
    const probe = m.app.get(ProbeSeeder);
    probe.seen = [];
    await m.query(
      `update users set deleted_at = now(), is_active = false
        where id = (select id from users where deleted_at is null limit 1)`,
    );
    await m.run(SeedCommand, ['probe'], {});
    const [{ n }] = await m.query<{ n: number }>(
      'select count(*)::int as n from users where deleted_at is null',
    );
    expect(probe.seen[0]).toHaveLength(n);
  });

  it('rejects an unknown module, naming the known ones', async () => {
    await expect(m.run(SeedCommand, ['nope'], { number: 1 })).rejects.toThrow(
      /Unknown module\(s\): nope\. Modules with seeders: accounts, probe\./,
    );
  });
});
