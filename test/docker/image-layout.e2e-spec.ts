import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '#porch/core';
import { createTestDatabase } from '../utils/database.js';
import { query } from '../utils/manage.js';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
/** `COPY --from=build … /app/<path> ./<path>` lines of the runtime stage: what the image ships. */
const shipped = [...DOCKERFILE.matchAll(/^COPY --from=build \S+ \/app\/(\S+) \.\/(\S+)$/gm)].map(
  ([, from, to]) => {
    expect(from).toBe(to);
    return from;
  },
);
const built = existsSync(join(REPO_ROOT, 'dist/apps/manage/src/main.js'));

function run(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      command,
      args,
      { cwd, env: { PATH: process.env.PATH!, HOME: tmpdir(), ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/**
 * The Docker image without Docker (no daemon on these machines): the files the Dockerfile's
 * runtime stage copies, laid out as in /app, run as the image runs them (NODE_ENV=production).
 */
describe('the Docker image layout', () => {
  it('ships every data directory the code reads (libs/*/data)', () => {
    const dataDirs = readdirSync(join(REPO_ROOT, 'libs'))
      .map((lib) => `libs/${lib}/data`)
      .filter((dir) => existsSync(join(REPO_ROOT, dir)));
    expect(dataDirs.length).toBeGreaterThanOrEqual(2);
    for (const dir of dataDirs) expect(shipped).toContain(dir);
    expect(shipped).toEqual(expect.arrayContaining(['dist', 'node_modules', 'scripts/build.mjs']));
    expect(DOCKERFILE).toMatch(/^COPY .*scripts\/manage\.sh \/usr\/local\/bin\/manage$/m);
  });

  (built ? describe : describe.skip)('run from what it ships', () => {
    let app: string;
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      app = join(mkdtempSync(join(tmpdir(), 'porch-image-')), 'app');
      for (const path of shipped.filter((p) => p !== 'node_modules' && p !== 'package.json')) {
        mkdirSync(join(app, path, '..'), { recursive: true });
        cpSync(join(REPO_ROOT, path), join(app, path), { recursive: true });
      }
      cpSync(join(REPO_ROOT, 'package.json'), join(app, 'package.json'));
      // The image's node_modules is this one without the dev packages (npm prune --omit=dev).
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(app, 'node_modules'));
      db = await createTestDatabase();
    }, 120_000);
    afterAll(() => db?.drop());

    const production = () => ({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      SESSION_SECRET: 'image-layout-test-session-secret-0123456789',
      LOG_LEVEL: 'warn',
    });

    it('answers manage --help without any configuration', async () => {
      const help = await run(app, process.execPath, ['dist/apps/manage/src/main.js', '--help'], {
        NODE_ENV: 'production',
      });
      expect(help).toMatchObject({ code: 0 });
      expect(help.stdout).toMatch(/^Usage: manage /);
    });

    it('runs npm run manage without trying to build', async () => {
      const listed = await run(
        app,
        'npm',
        ['run', '--silent', 'manage', '--', 'migrate', '--list'],
        production(),
      );
      expect(listed.stderr).not.toContain('build');
      expect(listed).toMatchObject({ code: 0 });
      expect(listed.stdout).toContain('[X] Migration');
    });

    it('creates a superuser (the password policy reads its data from the image)', async () => {
      const created = await run(
        app,
        process.execPath,
        ['dist/apps/manage/src/main.js', 'createsuperuser', '--email', 'ops@example.test'],
        { ...production(), ADMIN_PASSWORD: 'a long admin passphrase' },
      );
      expect(created).toMatchObject({ code: 0 });
      expect(
        await query(db.url, `select is_superuser from users where email = 'ops@example.test'`),
      ).toEqual([{ is_superuser: true }]);
    });

    it('refuses the commands that write a checkout, saying why', async () => {
      const erd = await run(
        app,
        process.execPath,
        ['dist/apps/manage/src/main.js', 'graph-models'],
        production(),
      );
      expect(erd.code).toBe(1);
      expect(erd.stderr).toContain('works on a checkout');
    });
  });
});
