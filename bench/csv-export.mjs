// Memory profile of a CSV export (SPEC §8: a 100,000-row export runs in constant memory).
//
//   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/csv-export.mjs [rows]
//
// Makes a scratch database on that server, fills `users` with <rows> rows (default 100,000),
// starts the built API in production mode as a child process, downloads /api/v1/exports/users.csv
// while sampling the server's resident memory from /proc, and writes the profile to
// bench/results/csv-export.json. Flat means: the peak stays close to the idle baseline, and does
// not climb as the download progresses (the file itself is ~20 MB per 100,000 rows).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const rows = Number(process.argv[2] ?? 100_000);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server (a scratch database is created on it).');
  process.exit(1);
}
const { loadConfig, ormOptions } = await import(join(ROOT, 'dist/libs/core/src/index.js'));

const dbName = `porch_bench_${randomBytes(4).toString('hex')}`;
const dbUrl = Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : NaN;
};
const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

async function withAdmin(fn) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function prepare() {
  await withAdmin((c) => c.query(`create database ${dbName}`));
  const options = ormOptions(loadConfig({ ...process.env, DATABASE_URL: dbUrl }), dbUrl);
  // No snapshot: running migrations would otherwise rewrite the committed one.
  const orm = await MikroORM.init({
    ...options,
    entities: [],
    migrations: { ...options.migrations, snapshot: false },
  });
  await orm.getMigrator().up();
  await orm.close(true);

  const token = randomBytes(32).toString('base64url');
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  await client.query(
    `insert into users (id, created_at, updated_at, email, password, name, teacher_email)
     select gen_random_uuid(), now(), now(), 'bench' || n || '@example.test', 'x',
            'Bench user number ' || n, 'teacher' || (n % 100) || '@example.test'
       from generate_series(1, $1::int) n`,
    [rows],
  );
  const staff = await client.query(
    `insert into users (id, created_at, updated_at, email, password, name, is_staff)
     values (gen_random_uuid(), now(), now(), 'bench-staff@example.test', 'x', 'Staff', true)
     returning id`,
  );
  await client.query(
    `insert into auth_tokens (id, user_id, family, kind, token_hash, expires_at, created_at)
     values (gen_random_uuid(), $1, gen_random_uuid(), 'access', $2, now() + interval '1 hour', now())`,
    [staff.rows[0].id, createHash('sha256').update(token).digest('hex')],
  );
  await client.end();
  return token;
}

async function main() {
  console.log(`preparing ${rows} users in ${dbName}…`);
  const token = await prepare();
  const port = await freePort();
  const server = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // Its users sign up and log in at once (verification has tests of its own).
      REQUIRE_VERIFIED_EMAIL: 'false',
      DATABASE_URL: dbUrl,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      MIGRATE_ON_START: 'false',
      DEMO_DATA: 'false',
      CREATE_SUPERUSER: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    for (let i = 0; ; i++) {
      const ok = await new Promise((done) =>
        get({ port, path: '/health/live' }, (res) => done(res.statusCode === 200)).on('error', () =>
          done(false),
        ),
      );
      if (ok) break;
      if (i > 600) throw new Error('the server did not start');
      await sleep(100);
    }
    // Idle baseline, once start-up has settled.
    await sleep(1000);
    const idle = [];
    for (let i = 0; i < 20; i++) {
      idle.push(rssMb(server.pid));
      await sleep(25);
    }
    const baseline = idle.reduce((a, b) => a + b) / idle.length;

    const samples = [];
    let bytes = 0;
    let lines = 0;
    const started = Date.now();
    const timer = setInterval(
      () => samples.push({ ms: Date.now() - started, bytes, rss: rssMb(server.pid) }),
      20,
    );
    const status = await new Promise((done, fail) => {
      get(
        { port, path: '/api/v1/exports/users.csv', headers: { Authorization: `Bearer ${token}` } },
        (res) => {
          res.on('data', (chunk) => {
            bytes += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          });
          res.on('end', () => done(res.statusCode));
        },
      ).on('error', fail);
    });
    clearInterval(timer);
    const seconds = (Date.now() - started) / 1000;
    const peak = Math.max(...samples.map((s) => s.rss));
    const at = (fraction) => {
      const s = samples.find((x) => x.bytes >= bytes * fraction) ?? samples.at(-1);
      return Math.round(s.rss * 10) / 10;
    };
    const result = {
      date: new Date().toISOString(),
      rows,
      status,
      csvLines: lines,
      megabytes: Math.round((bytes / 1048576) * 10) / 10,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      rssMb: {
        idleBaseline: Math.round(baseline * 10) / 10,
        peak: Math.round(peak * 10) / 10,
        peakOverBaseline: Math.round((peak - baseline) * 10) / 10,
        at10pct: at(0.1),
        at50pct: at(0.5),
        at90pct: at(0.9),
      },
      samples: samples.length,
    };
    writeFileSync(
      join(ROOT, 'bench/results/csv-export.json'),
      JSON.stringify(result, null, 2) + '\n',
    );
    console.log(JSON.stringify(result, null, 2));
    if (status !== 200 || lines !== rows + 2) {
      // header + rows + the staff user
      throw new Error(`expected ${rows + 2} lines with status 200, got ${lines} (${status})`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await withAdmin((c) => c.query(`drop database if exists ${dbName} with (force)`));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
