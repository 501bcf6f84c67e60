import { jest } from '@jest/globals';
import { EntityManager } from '@mikro-orm/postgresql';
import { Test, type TestingModule } from '@nestjs/testing';
import { PasswordHasher, TokensService, User } from '#porch/accounts';
import { AppConfig } from '#porch/core';
import { ChangePasswordCommand } from '../../apps/manage/src/commands/changepassword.command.js';
import { CreateSuperuserCommand } from '../../apps/manage/src/commands/createsuperuser.command.js';
import { Terminal } from '../../apps/manage/src/commands/terminal.js';
import { ManageModule } from '../../apps/manage/src/manage.module.js';
import { GOOD_PASSWORD, uniqueEmail } from '../utils/accounts-factories.js';
import { createTestDatabase } from '../utils/database.js';

/** Stands in for the terminal: `interactive` as the test says, prompts answered from a script. */
class ScriptedTerminal {
  interactive = false;
  emails: string[] = [];
  names: string[] = [];
  passwords: { password: string; confirm: string }[] = [];
  asked = 0;
  email = async () => (this.asked++, this.emails.shift() ?? '');
  name = async () => (this.asked++, this.names.shift() ?? '');
  newPassword = async () => {
    this.asked++;
    const next = this.passwords.shift();
    if (!next) throw new Error('unexpected password prompt');
    return next;
  };
}

/**
 * createsuperuser and changepassword, run inside the real ManageModule (same providers as
 * `npm run manage`) on a database of their own; only the terminal is scripted.
 */
describe('manage: createsuperuser and changepassword', () => {
  let moduleRef: TestingModule;
  let drop: () => Promise<void>;
  let terminal: ScriptedTerminal;
  let config: AppConfig;
  const out: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const saved = { ...process.env };
    Object.assign(process.env, { DATABASE_URL: db.url, MIGRATE_ON_START: 'false' });
    delete process.env.ADMIN_PASSWORD;
    try {
      moduleRef = await Test.createTestingModule({ imports: [ManageModule] })
        .overrideProvider(Terminal)
        .useClass(ScriptedTerminal)
        .compile();
      await moduleRef.init();
    } finally {
      process.env = saved;
    }
    config = moduleRef.get(AppConfig);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await drop?.();
  });
  beforeEach(() => {
    terminal = moduleRef.get(Terminal) as unknown as ScriptedTerminal;
    Object.assign(terminal, { interactive: false, emails: [], names: [], passwords: [], asked: 0 });
    config.ADMIN_PASSWORD = undefined;
    out.length = 0;
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    jest
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  const findUser = (email: string) =>
    moduleRef
      .get(EntityManager)
      .fork()
      .findOne(User, { email }, { populate: ['password'] });
  const createsuperuser = (options: { email?: string; name?: string }) =>
    moduleRef.get(CreateSuperuserCommand).run([], options);
  const changepassword = (email: string) => moduleRef.get(ChangePasswordCommand).run([email]);

  describe('createsuperuser', () => {
    it('--email takes the password from ADMIN_PASSWORD, never prompting', async () => {
      const email = uniqueEmail('root');
      config.ADMIN_PASSWORD = GOOD_PASSWORD;
      await createsuperuser({ email: email.toUpperCase() });
      expect(terminal.asked).toBe(0);
      expect(out).toContain('Superuser created successfully.');
      const user = await findUser(email);
      expect(user).toMatchObject({
        isStaff: true,
        isSuperuser: true,
        isActive: true,
        name: email.split('@')[0],
        emailVerifiedAt: expect.any(Date), // an address the operator typed: verified
      });
      expect(await moduleRef.get(PasswordHasher).verify(user!.password, GOOD_PASSWORD)).toBe(true);
    });

    it('without a terminal, a missing email or password is an error (no prompt, nothing created)', async () => {
      await expect(createsuperuser({})).rejects.toThrow(/--email/);
      const email = uniqueEmail('root');
      await expect(createsuperuser({ email })).rejects.toThrow(/ADMIN_PASSWORD/);
      expect(terminal.asked).toBe(0);
      expect(await findUser(email)).toBeNull();
    });

    it('refuses a weak ADMIN_PASSWORD, an invalid email and a taken email', async () => {
      const email = uniqueEmail('root');
      config.ADMIN_PASSWORD = '12345678';
      await expect(createsuperuser({ email })).rejects.toThrow(/too common[\s\S]*entirely numeric/);
      config.ADMIN_PASSWORD = GOOD_PASSWORD;
      await expect(createsuperuser({ email: 'not-an-email' })).rejects.toThrow(/valid email/);
      await createsuperuser({ email });
      await expect(createsuperuser({ email })).rejects.toThrow(/already exists/);
    });

    it('stores the NFKC form of a full-width email, and refuses mixed-script look-alikes', async () => {
      config.ADMIN_PASSWORD = GOOD_PASSWORD;
      const local = `root-${Date.now().toString(36)}`;
      const fullWidth = [...local].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));
      await createsuperuser({ email: `${fullWidth.join('')}@example.test` });
      expect(await findUser(`${local}@example.test`)).toMatchObject({ isSuperuser: true });
      // Cyrillic а in a Latin name, and Latin dotless ı: refused, nothing created.
      await expect(createsuperuser({ email: `\u0430dmin-${local}@example.test` })).rejects.toThrow(
        /cannot be registered: the part before @ mixes letters of different scripts/,
      );
      await expect(createsuperuser({ email: `adm\u0131n-${local}@example.test` })).rejects.toThrow(
        /U\+0131/,
      );
      expect(await findUser(`\u0430dmin-${local}@example.test`)).toBeNull();
    });

    it('prompts on a terminal: email, name, password twice, retrying a mismatch and a weak one', async () => {
      const email = uniqueEmail('tty');
      config.ADMIN_PASSWORD = 'ignored-Because-prompted-1'; // without --email, the prompt wins
      Object.assign(terminal, {
        interactive: true,
        emails: [email],
        names: ['Terminal Tess'],
        passwords: [
          { password: GOOD_PASSWORD, confirm: 'something else' },
          { password: 'password', confirm: 'password' },
          { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD },
        ],
      });
      await createsuperuser({});
      expect(out).toEqual([
        "Error: Your passwords didn't match.",
        'Error: This password is too common.',
        'Superuser created successfully.',
      ]);
      const user = await findUser(email);
      expect(user).toMatchObject({ name: 'Terminal Tess', isSuperuser: true });
      expect(await moduleRef.get(PasswordHasher).verify(user!.password, GOOD_PASSWORD)).toBe(true);
    });

    it('gives up after 3 bad tries on a terminal', async () => {
      const email = uniqueEmail('tty');
      const bad = { password: 'a', confirm: 'b' };
      Object.assign(terminal, { interactive: true, passwords: [bad, bad, bad] });
      await expect(createsuperuser({ email })).rejects.toThrow(/Too many failed attempts/);
      expect(await findUser(email)).toBeNull();
    });
  });

  describe('changepassword', () => {
    const makeUser = async () => {
      const email = uniqueEmail('member');
      config.ADMIN_PASSWORD = GOOD_PASSWORD;
      await createsuperuser({ email });
      config.ADMIN_PASSWORD = undefined;
      out.length = 0;
      const user = (await findUser(email))!;
      return { email, user };
    };

    it('prompts twice on a terminal, sets the password and signs the user out everywhere', async () => {
      const { email, user } = await makeUser();
      const pair = await moduleRef.get(TokensService).issue(user.id);
      Object.assign(terminal, {
        interactive: true,
        passwords: [{ password: 'new-Orchard-29-lamp', confirm: 'new-Orchard-29-lamp' }],
      });
      await changepassword(email.toUpperCase());
      expect(out).toEqual([
        `Changing password for user '${email}'`,
        `Password changed successfully for user '${email}'.`,
      ]);
      const after = (await findUser(email))!;
      const hasher = moduleRef.get(PasswordHasher);
      expect(await hasher.verify(after.password, 'new-Orchard-29-lamp')).toBe(true);
      expect(await moduleRef.get(TokensService).authenticate(pair.access_token)).toBeNull();
    });

    it('reads ADMIN_PASSWORD without a terminal, and errors when it is missing', async () => {
      const { email } = await makeUser();
      await expect(changepassword(email)).rejects.toThrow(/ADMIN_PASSWORD/);
      config.ADMIN_PASSWORD = 'scripted-Change-55-pass';
      await changepassword(email);
      expect(terminal.asked).toBe(0);
      const after = (await findUser(email))!;
      expect(
        await moduleRef.get(PasswordHasher).verify(after.password, 'scripted-Change-55-pass'),
      ).toBe(true);
    });

    it('errors for an unknown email', async () => {
      config.ADMIN_PASSWORD = GOOD_PASSWORD;
      await expect(changepassword('nobody@example.test')).rejects.toThrow(/No user/);
    });
  });
});
