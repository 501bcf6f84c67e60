// The benchmark's scaled dataset, made with set-based SQL (seconds, not minutes): 5,000 users,
// 1,000 parties (half over, half upcoming), 50,000 invites, 20,000 sessions with 400,000 tasks.
// Reused across runs (a marker table records the version); writes made by a run are removed after.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { hash, Algorithm } from '@node-rs/argon2';

export const DATASET_VERSION = 4;
export const USERS = 5000;
export const HOSTS = 1000; // users 1..1000 host one party each
export const INVITES_PER_PARTY = 50;
export const SESSIONS = 20000;
export const TASKS_PER_SESSION = 20;
export const PASSWORD = 'bench-password-not-secret';

/** Deterministic bearer token of bench user n (only ever valid in the bench database). */
export const tokenOf = (n) =>
  `bench-${String(n).padStart(6, '0')}-${createHash('sha256').update(`bench${n}`).digest('base64url')}`;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Ensures the dataset exists (migrations must have run: start the server once before). `scale`
 * multiplies the invites per party (the invites screen and the invites export at 10× the data).
 */
export async function prepareDataset(url, log = console.log, { scale = 1 } = {}) {
  const invitesPerParty = INVITES_PER_PARTY * scale;
  const version = DATASET_VERSION * 1000 + scale;
  return withClient(url, async (c) => {
    await c.query(
      'create table if not exists bench_dataset (version int primary key, made_at timestamptz not null default now())',
    );
    const { rowCount } = await c.query('select 1 from bench_dataset where version = $1', [version]);
    if (rowCount) {
      log('dataset: reusing the prepared one');
      return;
    }
    const started = Date.now();
    log(`dataset ×${scale}: building (one-off)…`);
    const password = await hash(PASSWORD, {
      algorithm: Algorithm.Argon2id,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    await c.query('begin');
    await c.query(
      `truncate keypresses, tasks, sessions, devices, group_members, groups, invites, parties, auth_tokens, users cascade`,
    );
    await c.query('drop table if exists bench_users');
    await c.query(
      `create table bench_users as select n, gen_random_uuid() as id from generate_series(1, ${USERS}) n`,
    );
    await c.query('create unique index on bench_users (n)');
    await c.query(
      `insert into users (id, created_at, updated_at, email, password, name, gender, is_staff, is_superuser, is_active)
       select id, now(), now(), 'bench-' || n || '@bench.porch.test', $1, 'Bench User ' || n,
              (array['unspecified','male','female','other'])[1 + n % 4], n = 1, n = 1, true
         from bench_users`,
      [password],
    );
    // Access tokens for every user, valid for a year.
    const values = [];
    const params = [];
    for (let n = 1; n <= USERS; n++) {
      params.push(n, sha256(tokenOf(n)));
      values.push(`($${params.length - 1}::int, $${params.length})`);
      if (values.length === 1000 || n === USERS) {
        await c.query(
          `insert into auth_tokens (id, user_id, family, kind, token_hash, expires_at, created_at)
           select gen_random_uuid(), u.id, gen_random_uuid(), 'access', v.h, now() + interval '365 days', now()
             from (values ${values.join(',')}) v(n, h) join bench_users u on u.n = v.n`,
          params,
        );
        values.length = 0;
        params.length = 0;
      }
    }
    // Parties: hosts 1..500 have one that is over, hosts 501..1000 one that is upcoming.
    await c.query(
      `insert into parties (id, created_at, updated_at, host_id, flat, first_entry, last_entry, vibe)
       select gen_random_uuid(), now(), now(), u.id, 'BENCH' || u.n, fe, fe + interval '12 hours',
              (array['chill','party','rager'])[1 + u.n % 3]
         from bench_users u,
              lateral (select case when u.n <= ${HOSTS / 2}
                                   then now() - interval '3 days' - u.n * interval '1 minute'
                                   else now() + interval '2 days' + u.n * interval '1 minute' end as fe) t
        where u.n <= ${HOSTS}`,
    );
    await c.query(
      `create table if not exists bench_parties as select p.id, u.n from parties p join bench_users u on u.id = p.host_id`,
    );
    // 50 invites per party, guests among users 1001..5000, statuses mixed.
    await c.query(
      `insert into invites (id, created_at, updated_at, party_id, guest_id, status, plus_ones)
       select gen_random_uuid(), now(), now(), bp.id, g.id,
              (array['invited','invited','invited','confirmed','confirmed','canceled'])[1 + (bp.n + k) % 6], k % 3
         from bench_parties bp cross join generate_series(0, ${invitesPerParty - 1}) k
         join bench_users g on g.n = ${HOSTS + 1} + ((bp.n * 37 + k) % ${USERS - HOSTS})`,
    );
    // One device per user; sessions spread over users; 20 tasks per session.
    await c.query(
      `insert into devices (id, created_at, updated_at, user_id, platform, model, os_version, details)
       select gen_random_uuid(), now(), now(), id, case when n % 2 = 0 then 'android' else 'ios' end,
              'Tablet ' || (n % 7), '14', '{}'::jsonb from bench_users`,
    );
    await c.query(
      `insert into sessions (id, user_id, device_id, started_at, ended_at, duration_ms, app_version, body_hash, created_at, updated_at)
       select gen_random_uuid(), u.id, d.id, st, st + interval '10 minutes', 600000, '1.0.0',
              encode(sha256(s::text::bytea), 'hex'), now(), now()
         from generate_series(1, ${SESSIONS}) s
         join bench_users u on u.n = 1 + s % ${USERS}
         join devices d on d.user_id = u.id,
              lateral (select now() - s * interval '7 minutes' as st) t`,
    );
    await c.query(
      `insert into tasks (id, created_at, updated_at, session_id, user_id, position, first_number, second_number,
                          operator, user_answer, answered_at, answer_ms, visual_help, is_correct)
       select gen_random_uuid(), now(), now(), s.id, s.user_id, k, a, a + b, '+',
              case when k % 5 = 4 then null else b + (k % 4 = 3)::int end,
              case when k % 5 = 4 then null else s.started_at + k * interval '20 seconds' end,
              case when k % 5 = 4 then null else 20000 end,
              k % 2 = 0,
              case when k % 5 = 4 then null else (k % 4 <> 3) end
         from sessions s cross join generate_series(0, ${TASKS_PER_SESSION - 1}) k,
              lateral (select (k * 7) % 10 as a, (k * 3) % 10 as b) t`,
    );
    await c.query('insert into bench_dataset (version) values ($1)', [version]);
    await c.query('commit');
    await c.query('vacuum analyze');
    log(`dataset ×${scale}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

/** Removes what a run's write benchmarks added, so the next run starts from the same data. */
export async function cleanWrites(url, since) {
  await withClient(url, async (c) => {
    await c.query('delete from invites where created_at >= $1', [since]);
    await c.query('delete from sessions where created_at >= $1', [since]);
    await c.query('delete from devices where created_at >= $1', [since]);
    await c.query('delete from auth_tokens where created_at >= $1', [since]);
  });
}

/**
 * Invites not made by the dataset (k = 0…49 in its formula) are left over from a run that was
 * stopped before it cleaned up: they would make the invite generator's pairs answer 409.
 */
export async function dropLeftoverInvites(url, { scale } = {}) {
  return withClient(url, async (c) => {
    // Without a scale, the one the database was prepared at (so that `--attach` on the 10× data
    // does not take its extra invites for leftovers).
    scale ??=
      (
        await c.query(
          'select version % 1000 as scale from bench_dataset order by made_at desc limit 1',
        )
      ).rows[0]?.scale ?? 1;
    const { rowCount } = await c.query(
      `delete from invites i using bench_parties bp, bench_users g
        where i.party_id = bp.id and i.guest_id = g.id
          and (((g.n - ${HOSTS + 1} - bp.n * 37) % ${USERS - HOSTS}) + ${USERS - HOSTS}) % ${USERS - HOSTS} >= ${INVITES_PER_PARTY * scale}`,
    );
    return rowCount;
  });
}

/** Ids the request generators need. */
export async function loadIds(url) {
  return withClient(url, async (c) => {
    const users = (await c.query('select n, id from bench_users order by n')).rows;
    const upcoming = (
      await c.query(
        `select bp.id, bp.n from bench_parties bp join parties p on p.id = bp.id where p.last_entry > now() order by bp.n`,
      )
    ).rows;
    const fsas = (
      await c.query('select distinct fsa from fsa_health_region order by fsa')
    ).rows.map((r) => r.fsa);
    return { users, upcoming, fsas };
  });
}
