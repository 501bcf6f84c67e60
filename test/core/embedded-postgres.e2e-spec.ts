import { existsSync, readFileSync } from 'node:fs';
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

    const again = await startEmbeddedPostgres({ dataDir, database: 'porch', ephemeral: true });
    expect(again.owner).toBe(true);
    expect(await query(again.url, 'select v from kept')).toEqual([{ v: 42 }]);
    await again.stop();
    expect(existsSync(dataDir)).toBe(false);
  });
});
