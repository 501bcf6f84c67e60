import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { REPO_ROOT } from '#porch/core';
import { readOffset, SECRET_COLUMNS, type CdcWorker } from '#porch/cdc';
import { LoadDemoCommand } from '../../apps/manage/src/commands/load-demo.command.js';
import { SeedCommand } from '../../apps/manage/src/commands/seed.command.js';
import { signUp } from '../utils/accounts-factories.js';
import { hoursFromNow } from '../utils/party-factories.js';
import { createManageApp } from '../utils/manage.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import {
  cdcEnv,
  cleanRedis,
  eventually,
  inProcessWorker,
  logicalPostgres,
  readAllStreams,
  readStream,
  redisAnswers,
  REDIS_URL,
  uniquePrefix,
  type StreamEvent,
} from './cdc-harness.js';

const redisUp = await redisAnswers();
if (!redisUp) console.warn('Skipping the CDC stream tests: no Redis answers on 127.0.0.1:6379');
const describeRedis = redisUp ? describe : describe.skip;

/** The Debezium message the store API's connector wrote (copied from ../shared/data). */
const EXAMPLE = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test/cdc/fixtures/debezium-envelope-example.json'), 'utf8'),
);

/** Events in commit order: by the previous commit's LSN (sequence[0]), then the change's own. */
function commitOrder(a: StreamEvent, b: StreamEvent): number {
  const key = (e: StreamEvent) => {
    const [last, lsn] = JSON.parse(e.value!.payload.source.sequence) as [string | null, string];
    return [BigInt(last ?? 0), BigInt(lsn)];
  };
  const [a0, a1] = key(a);
  const [b0, b1] = key(b);
  return a0 !== b0 ? (a0 < b0 ? -1 : 1) : a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}

describeRedis('CDC: snapshot then stream, as Debezium envelopes on Redis Streams', () => {
  let pgServer: Awaited<ReturnType<typeof logicalPostgres>>;
  let t: TestApp;
  let redis: Redis;
  let sql: pg.Client;
  let running: ReturnType<typeof inProcessWorker>;
  const prefix = uniquePrefix('s');
  const stream = (table: string) => `${prefix}.public.${table}`;
  /** Users inserted while the worker takes its snapshot and starts streaming. */
  const racing: string[] = [];
  let before: { users: string[]; parties: string[]; invites: string[] };

  beforeAll(async () => {
    pgServer = await logicalPostgres();
    t = await createTestApp();
    redis = new Redis(REDIS_URL);
    sql = new pg.Client({ connectionString: t.databaseUrl });
    await sql.connect();
    // Realistic rows already there: the party app's demo data, and seeded data in every module.
    const manage = await createManageApp({ databaseUrl: t.databaseUrl });
    try {
      await manage.run(LoadDemoCommand);
      await manage.run(SeedCommand, [], { number: 5, seed: 7 });
    } finally {
      await manage.app.close();
    }
    // A table shaped like the store API's tag table, for the comparison with its Debezium.
    await sql.query(`create table store_api_tag (
      id uuid primary key, created timestamptz not null, updated timestamptz not null,
      deleted timestamptz null, name varchar(100) not null, description text not null)`);
    const ids = async (table: string) =>
      (await sql.query<{ id: string }>(`select id from ${table}`)).rows.map((r) => r.id);
    before = {
      users: await ids('users'),
      parties: await ids('parties'),
      invites: await ids('invites'),
    };

    // Writes racing the snapshot: each must arrive exactly once, as a read or as a create.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing || i < 20; i++) {
        const { rows } = await sql.query<{ id: string }>(
          `insert into users (id, created_at, updated_at, email, password, name)
           values (gen_random_uuid(), now(), now(), $1, 'x', 'Racing Writer') returning id`,
          [`racer-${i}@example.test`],
        );
        racing.push(rows[0].id);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    running = inProcessWorker(cdcEnv(t.databaseUrl, prefix));
    await eventually(
      async () =>
        (await readOffset(redis, `metadata:cdc:${prefix}:porch_cdc`))?.snapshot === 'done',
      60_000,
      'the snapshot',
    );
    await new Promise((r) => setTimeout(r, 300));
    writing = false;
    await writer;
  }, 180_000);

  afterAll(async () => {
    await running?.worker.stop();
    await running?.running.catch(() => undefined);
    await cleanRedis(redis, prefix);
    redis?.disconnect();
    await sql?.end();
    await t?.close();
    await pgServer?.restore();
  });

  const worker = (): CdcWorker => running.worker;

  it('snapshots every existing row exactly once, marked first/true/last, before any streamed change', async () => {
    const events = await readAllStreams(redis, prefix);
    const reads = events.filter((e) => e.value?.payload.op === 'r');
    for (const [table, ids] of Object.entries(before)) {
      const read = reads.filter((e) => e.stream === stream(table)).map((e) => e.key!.id);
      expect(
        read.filter((id) => before[table as keyof typeof before].includes(id as string)).sort(),
      ).toEqual([...ids].sort());
      expect(new Set(read).size).toBe(read.length); // no row twice
    }
    // The reference data, seeded sessions and tasks are there too, each row once.
    for (const table of ['province', 'fsa_health_region', 'tasks']) {
      const { rows } = await sql.query<{ n: number }>(`select count(*)::int as n from ${table}`);
      expect(reads.filter((e) => e.stream === stream(table))).toHaveLength(rows[0].n);
    }
    expect(worker().stats.snapshotRows).toBeGreaterThan(2000);
    const markers = reads.map((e) => e.value!.payload.source.snapshot);
    expect(markers.filter((m) => m === 'first')).toHaveLength(1);
    expect(markers.filter((m) => m === 'last')).toHaveLength(1);
    expect(markers.every((m) => ['first', 'true', 'last'].includes(m))).toBe(true);
    // Every read shares the slot's consistent point and the snapshot transaction.
    expect(new Set(reads.map((e) => e.value!.payload.source.lsn)).size).toBe(1);
    expect(new Set(reads.map((e) => e.value!.payload.source.txId)).size).toBe(1);
    const lastRead = reads
      .map((e) => e.id)
      .sort(compareIds)
      .at(-1)!;
    const streamed = events.filter((e) => e.value && e.value.payload.op !== 'r');
    for (const e of streamed) expect(compareIds(e.id, lastRead)).toBeGreaterThanOrEqual(0);
  });

  it('loses and doubles nothing between the snapshot and the stream (rows written during the snapshot)', async () => {
    expect(racing.length).toBeGreaterThan(20);
    const users = await eventually(
      async () => {
        const all = await readStream(redis, stream('users'));
        const seen = all.filter((e) => racing.includes(e.key?.id as string) && e.value);
        return seen.length >= racing.length ? all : undefined;
      },
      30_000,
      'the racing inserts',
    );
    for (const id of racing) {
      const events = users.filter((e) => e.key?.id === id && e.value);
      expect(events.map((e) => e.value!.payload.op)).toHaveLength(1);
      expect(['r', 'c']).toContain(events[0].value!.payload.op);
    }
    // Both kinds occur: the race really straddled the snapshot.
    const ops = new Set(
      users.filter((e) => racing.includes(e.key?.id as string)).map((e) => e.value!.payload.op),
    );
    expect(ops).toEqual(new Set(['r', 'c']));
  });

  it('streams a user, party and invite through create, update, soft delete and delete, in commit order', async () => {
    const host = await signUp(t, {
      name: 'Casey Host',
      department: 'engineering',
      gender: 'other',
      birthdate: '1994-03-05',
    });
    const guest = await signUp(t, { name: 'Gale Guest' });
    const auth = (u: { access: string }) => ({ Authorization: `Bearer ${u.access}` });
    await t.http
      .patch('/api/v1/users/me')
      .set(auth(host))
      .send({ name: 'Casey Q. Host' })
      .expect(200);
    const party = (
      await t.http
        .post('/api/v1/parties')
        .set(auth(host))
        .send({
          flat: 'Flat 9',
          firstEntry: hoursFromNow(30).toISOString(),
          vibe: 'party',
          postalCode: 'M5V 2T6',
        })
        .expect(201)
    ).body as { id: string };
    await t.http
      .patch(`/api/v1/parties/${party.id}`)
      .set(auth(host))
      .send({ description: 'Bring snacks' })
      .expect(200);
    const invite = (
      await t.http
        .post('/api/v1/invites')
        .set(auth(host))
        .send({ partyId: party.id, guestId: guest.id, plusOnes: 2 })
        .expect(201)
    ).body as { id: string };
    await t.http.post(`/api/v1/invites/${invite.id}/confirm`).set(auth(guest)).expect(200);
    await t.http.delete(`/api/v1/parties/${party.id}`).set(auth(host)).expect(204); // soft: cancels the invite too
    await t.http.delete('/api/v1/users/me').set(auth(guest)).expect(204); // soft
    await sql.query('delete from users where id = $1', [host.id]); // hard: cascades to the party and invite

    const ids = new Set([host.id, guest.id, party.id, invite.id]);
    const ours = await eventually(
      async () => {
        const all: StreamEvent[] = [];
        for (const table of ['users', 'parties', 'invites'])
          all.push(...(await readStream(redis, stream(table))));
        const mine = all.filter((e) => ids.has(e.key?.id as string));
        return mine.filter((e) => e.value === null).length >= 3 ? mine : undefined; // three tombstones
      },
      30_000,
      'the scenario events',
    );

    // Each stream is written in commit order…
    for (const table of ['users', 'parties', 'invites']) {
      const inStream = ours.filter((e) => e.stream === stream(table) && e.value);
      expect([...inStream].sort(commitOrder).map((e) => e.id)).toEqual(inStream.map((e) => e.id));
    }
    // …and, across tables, this is the order the transactions committed in.
    const changes = ours.filter((e) => e.value).sort(commitOrder);
    const label = (e: StreamEvent) =>
      `${e.value!.payload.source.table}:${e.value!.payload.op}:${e.key!.id === host.id ? 'host' : e.key!.id === guest.id ? 'guest' : e.key!.id === party.id ? 'party' : 'invite'}`;
    const labels = changes.map(label);
    expect(labels).toEqual([
      'users:c:host', // sign-up…
      'users:u:host', // …and its login (last_login_at)
      'users:c:guest',
      'users:u:guest',
      'users:u:host', // PATCH /users/me
      'parties:c:party',
      'parties:u:party', // PATCH /parties/:id
      'invites:c:invite',
      'invites:u:invite', // confirm
      'invites:u:invite', // DELETE /parties/:id cancels the invite…
      'parties:u:party', // …and soft-deletes the party, in one transaction
      'users:u:guest', // DELETE /users/me: soft delete
      'users:d:host', // DELETE FROM users: the cascade, in one transaction
      'parties:d:party',
      'invites:d:invite',
    ]);

    const at = (l: string, n = 0) => changes.filter((e) => label(e) === l)[n].value!.payload;
    // Creates: no before, the row after.
    expect(at('users:c:host')).toMatchObject({
      before: null,
      after: {
        id: host.id,
        name: 'Casey Host',
        department: 'engineering',
        gender: 'other',
        is_active: true,
        deleted_at: null,
      },
    });
    expect(at('users:c:host').after!.birthdate).toBe(Date.UTC(1994, 2, 5) / 86_400_000);
    // Updates carry the old row (REPLICA IDENTITY FULL) and the new one.
    const rename = changes.find(
      (e) => label(e) === 'users:u:host' && e.value!.payload.after!.name === 'Casey Q. Host',
    )!.value!.payload;
    expect(rename.before).toMatchObject({ name: 'Casey Host' });
    expect(at('parties:c:party').after).toMatchObject({
      id: party.id,
      host_id: host.id,
      flat: 'Flat 9',
      vibe: 'party',
      postal_code: 'M5V 2T6',
      deleted_at: null,
    });
    expect(at('parties:u:party')).toMatchObject({
      before: { description: null },
      after: { description: 'Bring snacks' },
    });
    expect(at('invites:c:invite').after).toMatchObject({
      party_id: party.id,
      guest_id: guest.id,
      status: 'invited',
      plus_ones: 2,
    });
    expect(at('invites:u:invite', 0)).toMatchObject({
      before: { status: 'invited' },
      after: { status: 'confirmed' },
    });
    expect(at('invites:u:invite', 1)).toMatchObject({
      before: { status: 'confirmed' },
      after: { status: 'canceled' },
    });
    // The cancel and the soft delete are one transaction.
    const cancel = at('invites:u:invite', 1);
    const softParty = at('parties:u:party', 1);
    expect(softParty.before!.deleted_at).toBeNull();
    expect(softParty.after!.deleted_at).toEqual(
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    );
    expect(softParty.source.txId).toBe(cancel.source.txId);
    const softUser = changes.filter((e) => label(e) === 'users:u:guest').at(-1)!.value!.payload;
    expect(softUser).toMatchObject({
      before: { deleted_at: null, is_active: true },
      after: { is_active: false },
    });
    expect(softUser.after!.deleted_at).not.toBeNull();
    // Deletes: the last row before, nothing after, then a tombstone with the same key.
    const deletes = ['users:d:host', 'parties:d:party', 'invites:d:invite'].map((l) => at(l));
    expect(new Set(deletes.map((d) => d.source.txId)).size).toBe(1);
    expect(deletes[0]).toMatchObject({
      before: { id: host.id, name: 'Casey Q. Host' },
      after: null,
    });
    expect(deletes[1]).toMatchObject({
      before: { id: party.id, description: 'Bring snacks' },
      after: null,
    });
    expect(deletes[2]).toMatchObject({
      before: { id: invite.id, status: 'canceled' },
      after: null,
    });
    for (const table of ['users', 'parties', 'invites']) {
      const entries = ours.filter((e) => e.stream === stream(table));
      const d = entries.findIndex((e) => e.value?.payload.op === 'd');
      expect(entries[d + 1]).toMatchObject({
        value: null,
        raw: 'default',
        keyJson: entries[d].keyJson,
      });
    }
    // Streamed events are not snapshot reads.
    expect(changes.every((e) => e.value!.payload.source.snapshot === 'false')).toBe(true);
  });

  it('never sends a secret: password, token and reset-code hashes, salts, admin sessions', async () => {
    const user = await signUp(t, { name: 'Secret Keeper' });
    await t.http.post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
    const { rows } = await sql.query<{ password: string }>(
      'select password from users where id = $1',
      [user.id],
    );
    const { rows: tokens } = await sql.query<{ token_hash: string }>(
      'select token_hash from auth_tokens where user_id = $1',
      [user.id],
    );
    const reset = await eventually(
      async () => {
        const r = await sql.query<{ code_hash: string; salt: string }>(
          'select code_hash, salt from password_reset_codes where user_id = $1',
          [user.id],
        );
        return r.rows[0];
      },
      10_000,
      'the reset code',
    );
    await eventually(
      async () =>
        (await readStream(redis, stream('password_reset_codes'))).some(
          (e) => e.value?.payload.after?.user_id === user.id,
        ),
      30_000,
      'the reset event',
    );
    const secrets = [
      rows[0].password,
      ...tokens.map((x) => x.token_hash),
      reset.code_hash,
      reset.salt,
    ];
    expect(rows[0].password).toMatch(/^\$argon2/);
    for (const table of ['users', 'auth_tokens', 'password_reset_codes']) {
      const events = await readStream(redis, stream(table));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        for (const secret of secrets) expect(e.raw).not.toContain(secret);
        for (const column of SECRET_COLUMNS.filter((c) => c.startsWith(`public.${table}.`)).map(
          (c) => c.split('.')[2],
        )) {
          expect(e.raw).not.toContain(`"${column}"`);
        }
      }
    }
    // The users' photos (bulk binary) are left out by default too; the rest of the row is there.
    const userEvent = (await readStream(redis, stream('users'))).find(
      (e) => e.key?.id === user.id,
    )!;
    expect(Object.keys(userEvent.value!.payload.after!)).toEqual(
      expect.arrayContaining(['email', 'name', 'photo_hash']),
    );
    expect(Object.keys(userEvent.value!.payload.after!)).not.toContain('photo');
    // Session data is not captured at all (and is not in the publication).
    expect(await redis.exists(stream('admin_session'))).toBe(0);
    const { rows: published } = await sql.query(
      "select 1 from pg_publication_tables where tablename = 'admin_session'",
    );
    expect(published).toHaveLength(0);
  });

  it("writes the same envelope as the store API's Debezium, field by field", async () => {
    await sql.query(
      `insert into store_api_tag values ('a628467c-5eba-4dca-a5d4-dac9c09b6336', '2025-02-11 13:21:54.181982+00',
         '2025-02-11 13:21:54.181982+00', null, 'test-tag', 'tag for tests')`,
    );
    const [event] = await eventually(
      async () => {
        const events = await readStream(redis, stream('store_api_tag'));
        return events.length ? events : undefined;
      },
      30_000,
      'the tag event',
    );
    const ours = event.value!;
    // The schema is Debezium's, exactly, once the connector's name is swapped for ours.
    const expectedSchema = JSON.parse(
      JSON.stringify(EXAMPLE.schema).replaceAll('"store.public.', `"${prefix}.public.`),
    );
    expect(ours.schema).toEqual(expectedSchema);
    expect(JSON.stringify(ours.schema)).toBe(JSON.stringify(expectedSchema)); // key order too
    // The payload: the same fields in the same order, values of the same JSON types.
    const shape = (v: unknown): unknown =>
      v === null
        ? null
        : Array.isArray(v)
          ? 'array'
          : typeof v === 'object'
            ? Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape(x)]))
            : typeof v;
    expect(Object.keys(ours.payload)).toEqual(Object.keys(EXAMPLE.payload));
    expect(Object.keys(ours.payload.source)).toEqual(Object.keys(EXAMPLE.payload.source));
    expect(shape(ours.payload)).toEqual(shape(EXAMPLE.payload));
    // The row's values are the example's (same insert), with Debezium's formats.
    expect(ours.payload.after).toEqual(EXAMPLE.payload.after);
    expect(ours.payload).toMatchObject({ before: null, op: 'c', transaction: null });
    expect(ours.payload.source).toMatchObject({
      connector: 'postgresql',
      name: prefix,
      snapshot: 'false',
      db: t.databaseUrl.split('/').at(-1),
      schema: 'public',
      table: 'store_api_tag',
      xmin: null,
    });
    const source = ours.payload.source as Record<string, number | string>;
    const [lastCommit, lsn] = JSON.parse(source.sequence as string) as string[];
    expect(String(source.lsn)).toBe(lsn);
    expect(BigInt(lastCommit)).toBeLessThan(BigInt(lsn));
    expect(Math.floor((source.ts_us as number) / 1000)).toBe(source.ts_ms);
    expect(Math.abs((source.ts_ms as number) - Date.now())).toBeLessThan(60_000);
    expect(ours.payload.ts_ms).toBeGreaterThanOrEqual(source.ts_ms as number);
    // The key, as Debezium Server's Redis sink writes it: the field name is the key's JSON.
    expect(JSON.parse(event.keyJson)).toEqual({
      schema: {
        type: 'struct',
        fields: [
          {
            type: 'string',
            optional: false,
            name: 'io.debezium.data.Uuid',
            version: 1,
            field: 'id',
          },
        ],
        optional: false,
        name: `${prefix}.public.store_api_tag.Key`,
      },
      payload: { id: 'a628467c-5eba-4dca-a5d4-dac9c09b6336' },
    });
  });
});

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as < bs ? -1 : as > bs ? 1 : 0;
}
