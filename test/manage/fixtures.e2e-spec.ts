import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokensService } from '#porch/accounts';
import {
  DumpDataCommand,
  LoadDataCommand,
} from '../../apps/manage/src/commands/dumpdata.command.js';
import { LoadDemoCommand } from '../../apps/manage/src/commands/load-demo.command.js';
import { SeedCommand } from '../../apps/manage/src/commands/seed.command.js';
import { createManageApp, type ManageApp } from '../utils/manage.js';

interface FixtureRecord {
  model: string;
  pk: unknown;
  fields: Record<string, unknown>;
}

/** dumpdata and loaddata: Django's fixtures, over every entity MikroORM knows. */
describe('manage dumpdata / loaddata', () => {
  let source: ManageApp;
  let target: ManageApp;
  const dir = mkdtempSync(join(tmpdir(), 'porch-fixtures-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    [source, target] = await Promise.all([createManageApp(), createManageApp()]);
    await source.run(SeedCommand, [], { number: 15, seed: 3 });
    await source.run(LoadDemoCommand);
    // What seeding does not make: bytes, microsecond timestamps, tokens.
    await source.query(
      `update users set photo = '\\x89504e470d0a1a0a0000ff'::bytea, photo_type = 'image/png',
              last_login_at = '2026-11-22 20:00:00.123456+00'
        where email = 'host1@demo.porch.test'`,
    );
    const [{ id }] = await source.query<{ id: string }>(
      `select id from users where email = 'guest1@demo.porch.test'`,
    );
    await source.app.get(TokensService).issue(id);
    // A live reset code: with its salt and hash, a dump would give the code away.
    await source.query(
      `insert into password_reset_codes (id, user_id, salt, code_hash, expires_at, created_at)
       values (gen_random_uuid(), $1, md5('salt'), encode(sha256('s:123456'), 'hex'),
               now() + interval '15 minutes', now())`,
      [id],
    );
  });
  afterAll(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  const dump = (m: ManageApp, names: string[] = [], options = {}) =>
    m.run(DumpDataCommand, names, options);

  it('dumps every row as { model, pk, fields }, without secrets by default', async () => {
    const records = JSON.parse(await dump(source)) as FixtureRecord[];
    const users = records.filter((r) => r.model === 'User');
    expect(users).toHaveLength(26);
    expect(records.some((r) => r.model === 'AuthToken')).toBe(false);
    expect(users.every((u) => !('password' in u.fields))).toBe(true);
    const host1 = users.find((u) => u.fields.email === 'host1@demo.porch.test')!;
    expect(host1.fields).toMatchObject({
      name: 'Host 1',
      photo: Buffer.from('89504e470d0a1a0a0000ff', 'hex').toString('base64'),
      lastLoginAt: '2026-11-22T20:00:00.123456Z',
    });
    expect(host1.fields.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Ordered by primary key: the same database always dumps the same bytes.
    const ids = users.map((u) => u.pk as string);
    expect(ids).toEqual([...ids].sort());
    expect(await dump(source)).toBe(await dump(source));
  });

  it('leaves out every hash, salt and token unless --include-secrets', async () => {
    const secrets = (
      await source.query<{ value: string }>(
        `select password as value from users
         union all select salt from password_reset_codes
         union all select code_hash from password_reset_codes
         union all select token_hash from auth_tokens
         union all select join_code from groups where join_code is not null`,
      )
    ).map((r) => r.value);
    expect(secrets.length).toBeGreaterThan(28);
    const plain = await dump(source);
    for (const secret of secrets) expect(plain).not.toContain(secret);
    expect(plain).not.toMatch(/\$argon2|"model":"(AuthToken|PasswordResetCode)"/);
    await expect(dump(source, ['PasswordResetCode'])).rejects.toThrow(/--include-secrets/);
    const full = await dump(source, [], { includeSecrets: true });
    for (const secret of secrets) expect(full).toContain(secret);
  });

  it('round-trips exactly: dump, load into a fresh database, dump again gives the same JSON', async () => {
    const first = await dump(source, [], { includeSecrets: true });
    expect(first).toContain('"model":"AuthToken"');
    const out = await target.run(LoadDataCommand, [file('all.json', first)]);
    const count = (JSON.parse(first) as FixtureRecord[]).length; // reference data, users, tokens
    expect(out).toMatch(new RegExp(`Installed ${count} object\\(s\\)`));
    expect(await dump(target, [], { includeSecrets: true })).toBe(first);
    // Loading the same fixture again changes nothing.
    await target.run(LoadDataCommand, [file('all.json', first)]);
    expect(await dump(target, [], { includeSecrets: true })).toBe(first);
  });

  it('loads a dump without passwords with unusable ones, and keeps existing hashes on update', async () => {
    const fresh = await createManageApp();
    try {
      const plain = await dump(source);
      await fresh.run(LoadDataCommand, [file('plain.json', plain)]);
      const rows = await fresh.query<{ password: string }>('select password from users');
      expect(rows).toHaveLength(26);
      expect(rows.every((r) => r.password.startsWith('!'))).toBe(true);
      // Groups arrive with joining by code off (their owners make new codes), members as they were.
      const groups = await fresh.query<{ coded: number; all: number }>(
        `select count(join_code)::int as coded, count(*)::int as "all" from groups`,
      );
      expect(groups).toEqual([{ coded: 0, all: expect.any(Number) }]);
      expect(groups[0].all).toBeGreaterThan(0);
      expect(
        await fresh.query(
          'select status, count(*)::int as n from group_members group by status order by status',
        ),
      ).toEqual(
        await source.query(
          'select status, count(*)::int as n from group_members group by status order by status',
        ),
      );
      expect(await dump(fresh)).toBe(plain);

      // Into the database that has the hashes: updated rows keep them.
      await target.run(LoadDataCommand, [file('plain.json', plain)]);
      const hashes = await target.query<{ password: string }>(
        `select password from users where password not like '$argon2id$%'`,
      );
      expect(hashes).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('--natural writes references to users by email and resolves them on load', async () => {
    const natural = await dump(source, ['AuthToken', 'users'], {
      natural: true,
      includeSecrets: true,
    });
    const token = (JSON.parse(natural) as FixtureRecord[]).find((r) => r.model === 'AuthToken')!;
    expect(token.fields.user).toEqual(['guest1@demo.porch.test']);
    const fresh = await createManageApp();
    try {
      await fresh.run(LoadDataCommand, [file('natural.json', natural)]);
      expect(
        await dump(fresh, ['AuthToken', 'users'], { natural: true, includeSecrets: true }),
      ).toBe(natural);
    } finally {
      await fresh.close();
    }
  });

  it('selects entities by class or table name, and refuses unknown or secret ones', async () => {
    const users = JSON.parse(await dump(source, ['USERS'])) as FixtureRecord[];
    expect(new Set(users.map((r) => r.model))).toEqual(new Set(['User']));
    await expect(dump(source, ['Nope'])).rejects.toThrow(/Unknown entity "Nope"\. Known: .*User/);
    await expect(dump(source, ['AuthToken'])).rejects.toThrow(/--include-secrets/);
  });

  it('loads in one transaction: a bad record leaves nothing behind', async () => {
    const fresh = await createManageApp();
    try {
      const good = JSON.parse(await dump(source, ['User'])) as FixtureRecord[];
      const bad = [...good, { model: 'User', pk: 'not-a-uuid', fields: { email: 'x@y.z' } }];
      await expect(
        fresh.run(LoadDataCommand, [file('bad.json', JSON.stringify(bad))]),
      ).rejects.toThrow();
      expect(await fresh.query('select count(*)::int as n from users')).toEqual([{ n: 0 }]);
      await expect(
        fresh.run(LoadDataCommand, [file('unknown.json', '[{"model":"Nope","pk":1,"fields":{}}]')]),
      ).rejects.toThrow(/Unknown model "Nope"/);
      await expect(
        fresh.run(LoadDataCommand, [
          file('field.json', JSON.stringify([{ ...good[0], fields: { shoeSize: 9 } }])),
        ]),
      ).rejects.toThrow(/User has no loadable field "shoeSize"/);
    } finally {
      await fresh.close();
    }
  });
});
