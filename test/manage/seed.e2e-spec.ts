import { Module } from '@nestjs/common';
import { User } from '#porch/accounts';
import { PorchSeeder, Seeder, type SeedContext } from '#porch/core';
import { SeedCommand } from '../../apps/manage/src/commands/seed.command.js';
import { createManageApp, type ManageApp } from '../utils/manage.js';

/** A module's seeder, plugged in the way parties' or tasks' will be: a decorated provider. */
@PorchSeeder({ module: 'probe', order: 20 })
class ProbeSeeder extends Seeder {
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
      /Unknown module\(s\): nope\. Modules with seeders: accounts, probe, parties, invites, tasks\./,
    );
  });
});

describe('manage seed: parties, invites and tasks', () => {
  let m: ManageApp;
  beforeAll(async () => {
    m = await createManageApp();
  });
  afterAll(() => m.close());

  const count = async (sql: string): Promise<number> =>
    (await m.query<{ n: number }>(`select (${sql})::int as n`))[0].n;

  it('--number 15 gives 15 parties, 15 invites and 15 sessions with tasks, all valid', async () => {
    const out = await m.run(SeedCommand, [], { number: 15, seed: 3 });
    expect(out).toContain('parties: seeded 15 Party');
    expect(out).toContain('invites: seeded 15 Invite');
    expect(out).toMatch(/tasks: seeded .*15 Session/);
    expect(await count('select count(*) from parties')).toBe(15);
    expect(await count('select count(*) from invites')).toBe(15);
    expect(await count('select count(*) from sessions')).toBe(15);

    const parties = await m.query<{
      host_id: string;
      first_entry: Date;
      last_entry: Date;
      postal_code: string | null;
      flat: string;
      upcoming: boolean;
    }>(
      `select host_id, first_entry, last_entry, postal_code, flat, last_entry > now() as upcoming
         from parties`,
    );
    for (const p of parties) {
      expect(p.last_entry.getTime() - p.first_entry.getTime()).toBe(12 * 3600 * 1000);
      expect(p.flat.length).toBeLessThanOrEqual(50);
      if (p.postal_code) expect(p.postal_code).toMatch(/^[A-Z]\d[A-Z]( \d[A-Z]\d)?$/);
    }
    expect(parties.some((p) => p.upcoming)).toBe(true);
    expect(parties.some((p) => !p.upcoming)).toBe(true);
    // Postal codes come from the real FSAs.
    expect(parties.some((p) => p.postal_code)).toBe(true);
    expect(
      await count(`select count(*) from parties p where p.postal_code is not null
                     and not exists (select 1 from fsa_health_region f
                                      where f.fsa = left(p.postal_code, 3))`),
    ).toBe(0);
    // At most one party not yet over per host (the service's rule; overlap is the DB's).
    expect(
      await count(`select count(*) from (select host_id from parties where last_entry > now()
                    group by host_id having count(*) > 1) x`),
    ).toBe(0);

    // Invites: never the host; checked in / no-show only once the doors opened; answers dated.
    expect(
      await count(`select count(*) from invites i join parties p on p.id = i.party_id
                    where i.guest_id = p.host_id
                       or (i.status in ('checked_in', 'no_show') and p.first_entry > now())
                       or ((i.status in ('confirmed', 'canceled')) <> (i.responded_at is not null)
                           and i.status not in ('checked_in', 'no_show'))`),
    ).toBe(0);

    // Sessions carry 10–30 tasks, correctness as the upload derives it.
    const sessions = await m.query<{ n: number }>(
      'select count(t.id)::int as n from sessions s left join tasks t on t.session_id = s.id group by s.id',
    );
    for (const s of sessions) expect(s.n).toBeGreaterThanOrEqual(10);
    for (const s of sessions) expect(s.n).toBeLessThanOrEqual(30);
    expect(
      await count(`select count(*) from tasks where user_answer is not null and is_correct <> (
                     case operator when '+' then first_number + user_answer = second_number
                                   when '-' then first_number - user_answer = second_number
                                   when '*' then first_number * user_answer = second_number
                                   else user_answer <> 0 and second_number * user_answer = first_number
                     end)`),
    ).toBe(0);
    expect(await count('select count(*) from tasks where is_correct')).toBeGreaterThan(0);
    expect(await count('select count(*) from tasks where is_correct = false')).toBeGreaterThan(0);
    expect(await count('select count(*) from keypresses')).toBeGreaterThan(0);
    expect(await count('select count(*) from groups')).toBeGreaterThan(0);
    expect(await count('select count(*) from group_members')).toBeGreaterThan(0);
  });

  it('seeds a module alone on the rows already there, again without clashes', async () => {
    const out = await m.run(SeedCommand, ['invites'], { number: 20, seed: 3 });
    expect(out).toContain('invites: seeded 20 Invite');
    expect(out).not.toContain('parties: seeded');
    expect(await count('select count(*) from invites')).toBe(35);
    expect(await count('select count(*) from parties')).toBe(15);

    await m.run(SeedCommand, ['parties', 'tasks'], { number: 15, seed: 3 });
    expect(await count('select count(*) from parties')).toBe(30);
    expect(await count('select count(*) from sessions')).toBe(30);
  });
});
