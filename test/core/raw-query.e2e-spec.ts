import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery } from '#porch/core';
import { createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** rawQuery: prepared statements on the pool, the transaction's connection inside one. */
describe('rawQuery', () => {
  let t: TestApp;
  let em: EntityManager;
  beforeAll(async () => {
    t = await createTestApp();
    em = t.orm.em as EntityManager;
  });
  afterAll(() => t.close());

  it('answers as em.execute does, parameters of every kind included', async () => {
    const sql = `select ?::int as n, ?::text as s, ?::bool as b, ?::timestamptz as at, ?::text as nothing`;
    const params = [42, "it's ?", true, new Date('2026-11-22T10:00:00Z'), null];
    for (let i = 0; i < 7; i++) {
      // Past five runs PostgreSQL may switch the prepared statement to a generic plan.
      expect(await rawQuery(em, sql, params)).toEqual(await em.fork().execute(sql, params));
    }
    const [row] = await rawQuery<{ s: string }>(em, sql, params);
    expect(row.s).toBe("it's ?");
  });

  it('prepares statements (named, on the connection) and expands list parameters', async () => {
    const user = await createUser(t);
    const rows = await rawQuery<{ id: string }>(em, 'select id from users where id in (?)', [
      [user.id, '00000000-0000-4000-8000-000000000000'],
    ]);
    expect(rows).toEqual([{ id: user.id }]);
    // A statement prepared on the database module's pg pool is listed by the session that
    // prepared it: ask through the same pool (enough times to meet each of its connections).
    await rawQuery(em, 'select ?::int as probe', [1]);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const names = await rawQuery<{ name: string }>(
        em,
        `select name from pg_prepared_statements where statement = 'select $1::int as probe'`,
      );
      for (const { name } of names) seen.add(name);
    }
    expect([...seen].some((name) => name.startsWith('porch_'))).toBe(true);
  });

  it('runs inside the transaction it is called in', async () => {
    const email = `raw-${Date.now()}@example.test`;
    await em
      .fork()
      .transactional(async (tx) => {
        await tx.getConnection().execute(
          `insert into users (id, created_at, updated_at, email, password, name)
         values (gen_random_uuid(), now(), now(), ?, 'x', 'Raw')`,
          [email],
          'run',
          tx.getTransactionContext(),
        );
        // Uncommitted: only the transaction's own connection sees it (a pooled one would not).
        expect(await rawQuery(tx, 'select email from users where email = ?', [email])).toHaveLength(
          1,
        );
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
    expect(await rawQuery(em, 'select email from users where email = ?', [email])).toHaveLength(0);
  });

  /** An insert of a user whose email is taken: a unique violation. */
  const insertTaken = (email: string) =>
    rawQuery(
      em,
      `insert into users (id, created_at, updated_at, email, password, name)
       values (gen_random_uuid(), now(), now(), ?, 'x', 'Dup')`,
      [email],
    );

  it("raises the ORM's exceptions for constraint violations", async () => {
    const user = await createUser(t);
    await expect(insertTaken(user.email)).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
  });

  it('keeps its connection after a constraint violation (a 409 costs no reconnection)', async () => {
    const user = await createUser(t);
    const pid = async () =>
      (await rawQuery<{ pid: number }>(em, 'select pg_backend_pid() as pid'))[0].pid;
    const pids = new Set([await pid()]);
    for (let i = 0; i < 10; i++) {
      await expect(insertTaken(user.email)).rejects.toBeInstanceOf(
        UniqueConstraintViolationException,
      );
      pids.add(await pid());
    }
    // One idle connection serves these one at a time; a new one after each error would be 11.
    expect(pids.size).toBeLessThanOrEqual(2);
  });
});
