import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../utils/database.js';
import { CLI, cliBuilt, query, spawnCli } from '../utils/manage.js';

if (!cliBuilt) {
  console.warn(`Skipping the CLI process tests: ${CLI} is missing (run \`npm run build\` first).`);
}
const describeBuilt = cliBuilt ? describe : describe.skip;

/** The real entry point, as `npm run manage -- …` runs it (from dist/, so build first). */
describeBuilt('manage CLI process', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('graph-models --check passes without reaching any database', async () => {
    const result = await spawnCli(['graph-models', '--check'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
    });
    expect(result).toMatchObject({ code: 0, stdout: 'docs/erd.md is current.\n' });
  });

  it('parses options (--number=3), seeds, and dumps clean JSON to stdout', async () => {
    const env = { DATABASE_URL: db.url };
    const seeded = await spawnCli(['seed', 'accounts', '--number=3', '--seed', '5'], env);
    expect(seeded).toMatchObject({ code: 0 });
    expect(seeded.stdout).toContain('accounts: seeded 3 User');

    const dumped = await spawnCli(['dumpdata', 'users'], env);
    expect(dumped.code).toBe(0);
    const records = JSON.parse(dumped.stdout) as Array<{ model: string }>;
    expect(records.map((r) => r.model)).toEqual(['User', 'User', 'User']);
    expect(await query(db.url, 'select count(*)::int as n from users')).toEqual([{ n: 3 }]);
  });

  it('fails with exit 1 and a message, never a prompt, when something is missing', async () => {
    const env = { DATABASE_URL: db.url };
    const missing = await spawnCli(['loaddata'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing required argument 'file'");

    const dir = mkdtempSync(join(tmpdir(), 'porch-cli-'));
    writeFileSync(join(dir, '.env'), 'KEEP=1\n');
    const refused = await spawnCli(['gen-env', '--path', join(dir, '.env')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('use --force');
  });
});
