import { Module } from '@nestjs/common';
import { PasswordHasher } from '#porch/accounts';
import { DEMO_PASSWORD, DemoData, PorchDemoData } from '#porch/core';
import { LoadDemoCommand } from '../../apps/manage/src/commands/load-demo.command.js';
import { createManageApp, type ManageApp } from '../utils/manage.js';

/** Another module's contribution, after accounts'; it can be told to fail. */
@PorchDemoData({ module: 'probe', order: 90 })
class ProbeDemoData extends DemoData {
  fail = false;
  async load(): Promise<void> {
    if (this.fail) throw new Error('probe failed');
  }
}

@Module({ providers: [ProbeDemoData] })
class ProbeModule {}

describe('manage load-demo', () => {
  let m: ManageApp;
  beforeAll(async () => {
    m = await createManageApp({ modules: [ProbeModule] });
  });
  afterAll(() => m.close());

  /** Every table's rows, with their update stamps where they have one. */
  const snapshot = async () => {
    const tables = await m.query<{ table_name: string; stamped: boolean }>(
      `select table_name, bool_or(column_name = 'updated_at') as stamped
         from information_schema.columns
        where table_schema = 'public' and table_name <> 'mikro_orm_migrations'
        group by table_name order by table_name`,
    );
    const result: Record<string, unknown> = {};
    for (const { table_name, stamped } of tables) {
      result[table_name] = await m.query(
        `select count(*)::int as n${stamped ? ', max(updated_at) as updated, sum(extract(epoch from updated_at)) as total' : ''} from "${table_name}"`,
      );
    }
    return result;
  };

  it('loads all contributions in one transaction: one failing leaves nothing', async () => {
    m.app.get(ProbeDemoData).fail = true;
    await expect(m.run(LoadDemoCommand)).rejects.toThrow('probe failed');
    expect(await m.query('select count(*)::int as n from users')).toEqual([{ n: 0 }]);
    m.app.get(ProbeDemoData).fail = false;
  });

  it('creates Host 1…Host 5 and the guests, who can log in with the demo password', async () => {
    const out = await m.run(LoadDemoCommand);
    expect(out).toContain('Loaded demo data');
    const hosts = await m.query<{ name: string; email: string }>(
      `select name, email from users where email like 'host%@demo.porch.test' order by email`,
    );
    expect(hosts).toEqual(
      [1, 2, 3, 4, 5].map((n) => ({ name: `Host ${n}`, email: `host${n}@demo.porch.test` })),
    );
    const guests = await m.query(`select 1 from users where email like 'guest%@demo.porch.test'`);
    expect(guests.length).toBeGreaterThanOrEqual(3);
    const [{ password }] = await m.query<{ password: string }>(
      `select password from users where email = 'host3@demo.porch.test'`,
    );
    expect(await m.app.get(PasswordHasher).verify(password, DEMO_PASSWORD)).toBe(true);
  });

  it('is idempotent: a second run changes nothing (row counts, update stamps)', async () => {
    const before = await snapshot();
    const out = await m.run(LoadDemoCommand);
    expect(out).toContain('already present');
    expect(await snapshot()).toEqual(before);
  });

  it('puts back only what is missing', async () => {
    await m.query(`delete from users where email = 'guest2@demo.porch.test'`);
    const out = await m.run(LoadDemoCommand);
    expect(out).toMatch(/User: 1\b/);
    expect(
      await m.query(`select 1 from users where email = 'guest2@demo.porch.test'`),
    ).toHaveLength(1);
  });

  it("loads the party app's test data: past and upcoming parties, invites in every status, a session", async () => {
    await m.run(LoadDemoCommand);
    const parties = await m.query<{ flat: string; over: boolean; host: string }>(
      `select p.flat, p.last_entry < now() as over, u.name as host
         from parties p join users u on u.id = p.host_id order by p.flat`,
    );
    expect(parties).toEqual([
      { flat: 'FUTUREPARTY1', over: false, host: 'Host 3' },
      { flat: 'FUTUREPARTY2', over: false, host: 'Host 4' },
      { flat: 'FUTUREPARTY3', over: false, host: 'Host 5' },
      { flat: 'PASTPARTY1', over: true, host: 'Host 1' },
      { flat: 'PASTPARTY2', over: true, host: 'Host 2' },
    ]);
    const statuses = await m.query<{ status: string }>(
      'select distinct status from invites order by status',
    );
    expect(statuses.map((r) => r.status)).toEqual([
      'canceled',
      'checked_in',
      'confirmed',
      'invited',
      'no_show',
    ]);
    const [session] = await m.query<{ n: number; tasks: number }>(
      'select count(distinct s.id)::int as n, count(t.id)::int as tasks from sessions s join tasks t on t.session_id = s.id',
    );
    expect(session).toEqual({ n: 1, tasks: 12 });
  });
});
