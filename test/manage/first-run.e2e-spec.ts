import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordHasher } from '#porch/accounts';
import { DEMO_PASSWORD } from '#porch/core';
import { FirstRunService, SUPERUSER_PASSWORD_FILE } from '../../apps/api/src/first-run.service.js';
import { createUser } from '../utils/factories.js';
import { captureStdout } from '../utils/manage.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const count = async (t: TestApp, where = 'true') =>
  Number(
    (await t.em().getConnection().execute(`select count(*) as n from users where ${where}`))[0].n,
  );

/** `npm start` on an empty database: demo data and a superuser, once. */
describe('first run', () => {
  describe('with DEMO_DATA=true on an empty database', () => {
    let t: TestApp;
    let printed: string;
    beforeAll(async () => {
      printed = await captureStdout(async () => {
        t = await createTestApp({ env: { DEMO_DATA: 'true', CREATE_SUPERUSER: 'true' } });
      });
    });
    afterAll(() => t.close());

    it('creates the superuser and prints its generated password once', async () => {
      const [admin] = await t
        .em()
        .getConnection()
        .execute(`select * from users where email = 'admin@porch.local'`);
      expect(admin).toMatchObject({ is_superuser: true, is_staff: true, is_active: true });
      expect(admin.email_verified_at).not.toBeNull();
      const password = /password: (\S+)/.exec(printed)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await t.app.get(PasswordHasher).verify(admin.password, password!)).toBe(true);
      expect(printed).toContain(`"${DEMO_PASSWORD}"`);
    });

    it('loads the demo data with it', async () => {
      expect(await count(t, `email like 'host_@demo.porch.test'`)).toBe(5);
      // Verified: they log in whatever REQUIRE_VERIFIED_EMAIL says.
      expect(await count(t, `email like '%@demo.porch.test' and email_verified_at is null`)).toBe(
        0,
      );
    });

    it('does nothing once the database has users', async () => {
      const before = await count(t);
      expect(await t.app.get(FirstRunService).run()).toBeNull();
      expect(await count(t)).toBe(before);
    });
  });

  it('CREATE_SUPERUSER alone (the compose file): a superuser and no demo data', async () => {
    let t: TestApp | undefined;
    const printed = await captureStdout(async () => {
      t = await createTestApp({
        env: { CREATE_SUPERUSER: 'true', ADMIN_EMAIL: 'ops@example.test' },
      });
    });
    try {
      expect(await count(t!)).toBe(1);
      expect(await count(t!, `email = 'ops@example.test' and is_superuser`)).toBe(1);
      expect(printed).toContain('Empty database: created a superuser.');
      expect(printed).toMatch(/password: [A-Za-z0-9_-]{24} /);
      expect(printed).not.toContain('demo');
    } finally {
      await t?.close();
    }
  });

  it('in production writes a generated password to a private file under DATA_DIR, never to stdout', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'porch-first-run-'));
    let t: TestApp | undefined;
    const printed = await captureStdout(async () => {
      t = await createTestApp({
        env: {
          NODE_ENV: 'production',
          SESSION_SECRET: 'first-run-test-session-secret-0123456789abcdef',
          ADMIN_JS_SKIP_BUNDLE: 'true',
          CREATE_SUPERUSER: 'true',
          DATA_DIR: dataDir,
        },
      });
    });
    try {
      const file = join(dataDir, SUPERUSER_PASSWORD_FILE);
      const password = (await readFile(file, 'utf8')).trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(printed).toContain(`password: generated, in ${file}`);
      expect(printed).not.toContain(password);
      const [admin] = await t!
        .em()
        .getConnection()
        .execute(`select password from users where email = 'admin@porch.local'`);
      expect(await t!.app.get(PasswordHasher).verify(admin.password, password)).toBe(true);
    } finally {
      await t?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('is off with DEMO_DATA=false and CREATE_SUPERUSER=false (the tests), and skips a database that has users', async () => {
    const t = await createTestApp();
    try {
      expect(await count(t)).toBe(0); // booted without creating anything
      await createUser(t);
      expect(await t.app.get(FirstRunService).run()).toBeNull();
      expect(await count(t)).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('runs once when two instances start together, and uses ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const t = await createTestApp({
      env: { ADMIN_EMAIL: 'Root@Example.test', ADMIN_PASSWORD: 'a long admin passphrase' },
    });
    try {
      const service = t.app.get(FirstRunService);
      const results = await Promise.all([service.run(), service.run()]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const done = results.find(Boolean)!;
      expect(done.email).toBe('root@example.test');
      expect(done.generatedPassword).toBeUndefined();
      expect(await count(t, 'is_superuser')).toBe(1);
      const [{ password }] = await t
        .em()
        .getConnection()
        .execute(`select password from users where email = 'root@example.test'`);
      expect(await t.app.get(PasswordHasher).verify(password, 'a long admin passphrase')).toBe(
        true,
      );
    } finally {
      await t.close();
    }
  });
});
