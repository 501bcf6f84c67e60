import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '#porch/core';

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  const dataDir = join(tmpdir(), `porch-embedded-${process.pid}-${Date.now()}`);

  it('starts once, lets a second process attach to the same cluster, and keeps data across restarts', async () => {
    const owner = await startEmbeddedPostgres({ dataDir, database: 'porch' });
    expect(owner.owner).toBe(true);
    // The superuser password is for this OS user only; the world-readable port file has none.
    const mode = (file: string) => statSync(join(dataDir, file)).mode & 0o777;
    expect(mode('postgres.json')).toBe(0o600);
    expect(mode('.')).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
    const password = JSON.parse(readFileSync(join(dataDir, 'postgres.json'), 'utf8')).password;
    const portFile = readFileSync(join(dataDir, 'postgres.port'), 'utf8');
    expect(JSON.parse(portFile)).toEqual({ pid: expect.any(Number), port: expect.any(Number) });
    expect(portFile).not.toContain(password);
    await query(owner.url, 'create table kept (v int); insert into kept values (42);');

    // What the manage CLI does beside a running server: join, never start a second postmaster.
    const second = await startEmbeddedPostgres({ dataDir, database: 'porch' });
    expect(second.owner).toBe(false);
    expect(second.url).toBe(owner.url);
    expect(await query(second.url, 'select v from kept')).toEqual([{ v: 42 }]);
    await second.stop(); // not the owner: the cluster keeps running
    expect(await query(owner.url, 'select 1 as ok')).toEqual([{ ok: 1 }]);

    await owner.stop();
    const info = JSON.parse(readFileSync(join(dataDir, 'postgres.json'), 'utf8'));
    expect(info.pid).toBeUndefined(); // no longer advertised as running
    expect(existsSync(join(dataDir, 'postgres.port'))).toBe(false);
    expect(mode('postgres.json')).toBe(0o600);

    // A file left world-readable by an older version is private again after the next start.
    chmodSync(join(dataDir, 'postgres.json'), 0o644);
    const again = await startEmbeddedPostgres({ dataDir, database: 'porch', ephemeral: true });
    expect(again.owner).toBe(true);
    expect(mode('postgres.json')).toBe(0o600);
    expect(await query(again.url, 'select v from kept')).toEqual([{ v: 42 }]);
    await again.stop();
    expect(existsSync(dataDir)).toBe(false);
  });

  it('starts in a data folder nested in folders it has to create (the bench uses .data/bench)', async () => {
    const top = join(tmpdir(), `porch-nested-${process.pid}-${Date.now()}`);
    const db = await startEmbeddedPostgres({
      dataDir: join(top, 'a', 'b'),
      database: 'porch',
      ephemeral: true,
    });
    try {
      expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      // As root the server runs as the `postgres` OS user: every folder made on the way can be
      // traversed (not listed) by it; as another user they stay private.
      const expected = process.getuid?.() === 0 ? 0o711 : 0o700;
      for (const dir of [top, join(top, 'a')]) expect(statSync(dir).mode & 0o777).toBe(expected);
    } finally {
      await db.stop();
      rmSync(top, { recursive: true, force: true });
    }
  });

  it('starts under a private folder of the checkout that already exists (.data made by the mail outbox)', async () => {
    const top = join(process.cwd(), '.data', `porch-private-${process.pid}-${Date.now()}`);
    mkdirSync(top, { recursive: true, mode: 0o700 });
    chmodSync(top, 0o700);
    const db = await startEmbeddedPostgres({
      dataDir: join(top, 'bench'),
      database: 'porch',
      ephemeral: true,
    });
    try {
      expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      // As root the `postgres` OS user must pass through it: traversable, still not listable.
      expect(statSync(top).mode & 0o777).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
    } finally {
      await db.stop();
      rmSync(top, { recursive: true, force: true });
    }
  });
});
