import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '#porch/core';
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

  // Each case spawns the built CLI; a usage error loads every command's module first (~5 s of
  // CPU each here), so under a loaded CI machine a case gets minutes rather than the default.
  const SPAWNING = 180_000;
  // A fresh DATA_DIR and no DATABASE_URL: building the app would create a PostgreSQL cluster.
  const dataDir = join(mkdtempSync(join(tmpdir(), 'porch-cli-')), 'data');
  const offline = { DATABASE_URL: '', DATA_DIR: dataDir };

  it(
    'answers --help as `manage`, built from the commands once and then from its cache',
    async () => {
      const helpCache = join(REPO_ROOT, 'dist/.manage-help.json');
      rmSync(helpCache, { force: true });
      const help = await spawnCli(['--help'], offline);
      expect(help).toMatchObject({ code: 0 });
      expect(help.stdout).toMatch(/^Usage: manage \[options\] \[command\]/);
      expect(help.stdout).toContain('createsuperuser');
      expect(help.stdout).toContain('clearexpired');

      // Shown once, a help text is kept for this build and printed again without the app's modules.
      const again = await spawnCli(['--help'], offline);
      expect(again).toEqual(help);
      const cache = JSON.parse(readFileSync(helpCache, 'utf8'));
      expect(cache.texts['80:']).toBe(help.stdout);
      expect(existsSync(dataDir)).toBe(false);
    },
    SPAWNING,
  );

  it(
    "answers a command's --help, with no database or one that does not answer",
    async () => {
      const migrateHelp = await spawnCli(['migrate', '--help'], offline);
      expect(migrateHelp).toMatchObject({ code: 0 });
      expect(migrateHelp.stdout).toMatch(/^Usage: manage migrate \[options\]/);
      expect(migrateHelp.stdout).toContain('--list');
      expect(existsSync(dataDir)).toBe(false);

      // Nothing tries to reach a database that is named but does not answer.
      const unreachable = await spawnCli(['dumpdata', '--help'], {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
      });
      expect(unreachable).toMatchObject({ code: 0 });
      expect(unreachable.stdout).toMatch(/^Usage: manage dumpdata/);
    },
    SPAWNING,
  );

  it(
    'answers usage errors with exit 1 and the message, starting no database',
    async () => {
      const unknown = await spawnCli(['nope'], offline);
      expect(unknown).toMatchObject({ code: 1, stderr: "error: unknown command 'nope'\n" });
      const badNumber = await spawnCli(['seed', '--number', 'many'], offline);
      expect(badNumber).toMatchObject({ code: 1 });
      expect(badNumber.stderr).toContain('--number must be a whole number');
      expect(existsSync(dataDir)).toBe(false);
    },
    SPAWNING,
  );

  it(
    'graph-models --check passes without reaching any database',
    async () => {
      const result = await spawnCli(['graph-models', '--check'], {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere',
      });
      expect(result).toMatchObject({ code: 0, stdout: 'docs/erd.md is current.\n' });
    },
    SPAWNING,
  );

  it(
    'parses options (--number=3), seeds, and dumps clean JSON to stdout',
    async () => {
      const env = { DATABASE_URL: db.url };
      const seeded = await spawnCli(['seed', 'accounts', '--number=3', '--seed', '5'], env);
      expect(seeded).toMatchObject({ code: 0 });
      expect(seeded.stdout).toContain('accounts: seeded 3 User');

      const dumped = await spawnCli(['dumpdata', 'users'], env);
      expect(dumped.code).toBe(0);
      const records = JSON.parse(dumped.stdout) as Array<{ model: string }>;
      expect(records.map((r) => r.model)).toEqual(['User', 'User', 'User']);
      expect(await query(db.url, 'select count(*)::int as n from users')).toEqual([{ n: 3 }]);
    },
    SPAWNING,
  );

  it(
    'fails with exit 1 and a message, never a prompt, when something is missing',
    async () => {
      const env = { DATABASE_URL: db.url };
      const missing = await spawnCli(['loaddata'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("missing required argument 'file'");

      const dir = mkdtempSync(join(tmpdir(), 'porch-cli-'));
      writeFileSync(join(dir, '.env'), 'KEEP=1\n');
      const refused = await spawnCli(['gen-env', '--path', join(dir, '.env')], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('use --force');
    },
    SPAWNING,
  );
});
