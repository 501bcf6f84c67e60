import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Controller, Injectable, Logger, Module, Post } from '@nestjs/common';
import { PasswordHasher, PasswordResetCode } from '#porch/accounts';
import { Public } from '#porch/core';
import { v7 as uuidv7 } from 'uuid';
import { createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** What the failing routes below put into PostgreSQL (and so into its error messages). */
const leaked = {
  hash: '',
  salt: randomBytes(16).toString('hex'),
  codeHash: '',
  access: randomBytes(32).toString('base64url'),
  password: 'hunter2-Correct-Horse',
  code: '493817',
};
leaked.codeHash = createHash('sha256').update(`${leaked.salt}:${leaked.code}`).digest('hex');

@Injectable()
class Failures {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
  ) {}

  /** A row that breaks `users_email_lower`: PostgreSQL echoes it whole ("Failing row contains"). */
  async badUser(): Promise<void> {
    leaked.hash = await this.hasher.hash(leaked.password);
    await this.em.getConnection().execute(
      `insert into users (id, email, password, name, created_at, updated_at)
         values (?, 'Upper@Example.test', ?, 'Leaky', now(), now())`,
      [uuidv7(), leaked.hash],
    );
  }

  /** A reset code breaking its check: MikroORM's message has the SQL with salt and hash. */
  async badResetCode(): Promise<void> {
    const [user] = await this.em
      .getConnection()
      .execute<{ id: string }[]>(`select id from users where email = lower(email) limit 1`);
    await this.em.fork().insert(PasswordResetCode, {
      id: uuidv7(),
      user: user.id,
      salt: leaked.salt,
      codeHash: leaked.codeHash,
      expiresAt: new Date(),
      attempts: -1,
      createdAt: new Date(),
    });
  }
}

@Public()
@Controller('leaky')
class LeakyController {
  private readonly logger = new Logger('Leaky');
  constructor(private readonly failures: Failures) {}

  @Post('user')
  user(): Promise<void> {
    return this.failures.badUser();
  }

  @Post('reset-code')
  resetCode(): Promise<void> {
    return this.failures.badResetCode();
  }

  /** What an HTTP client's error looks like: the request it made, headers and body included. */
  @Post('client')
  client(): void {
    const error = Object.assign(
      new Error(`upstream refused Authorization: Bearer ${leaked.access}`),
      {
        request: {
          headers: { authorization: `Bearer ${leaked.access}`, cookie: 'porch_admin=s%3Aabcdef' },
          body: { email: 'a@b.test', password: leaked.password, code: leaked.code },
        },
      },
    );
    this.logger.error({ err: error }, 'upstream call failed');
    throw error;
  }
}

@Module({ controllers: [LeakyController], providers: [Failures] })
class LeakyModule {}

/**
 * Issue 14 §5: what reaches the log when real PostgreSQL errors carry real secrets. The app logs
 * to fd 1 through pino (synchronously in tests); its writes are captured here, as the operator
 * would read them.
 */
describe('secrets never reach the log', () => {
  let t: TestApp;
  const lines: string[] = [];
  const writeSync = fs.writeSync;

  beforeAll(async () => {
    // Captured (and kept off the terminal) from the start: the app's log is all on fd 1.
    fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 && typeof data === 'string') {
        lines.push(data);
        return Buffer.byteLength(data);
      }
      return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync;
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, modules: [LeakyModule] });
    await createUser(t);
  });
  afterAll(async () => {
    fs.writeSync = writeSync;
    await t.close();
  });

  const logged = () => lines.join('');

  it('logs a failed users insert with its constraint, not the argon2 hash', async () => {
    lines.length = 0;
    await t.http.post('/api/v1/leaky/user').expect(500);
    const text = logged();
    const [, , , , salt, digest] = leaked.hash.split('$');
    expect(leaked.hash).toMatch(/m=19456,t=2,p=1/);
    expect(text).toContain('users_email_lower');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(salt);
    expect(text).not.toContain(digest);
    expect(text).not.toContain('$argon2id$');
  });

  it('logs a failed reset-code insert without its salt or hash', async () => {
    lines.length = 0;
    await t.http.post('/api/v1/leaky/reset-code').expect(500);
    const text = logged();
    expect(text).toContain('password_reset_codes_attempts_check');
    expect(text).not.toContain(leaked.salt);
    expect(text).not.toContain(leaked.codeHash);
  });

  it('logs a client error without its bearer token, cookie, password or reset code', async () => {
    lines.length = 0;
    await t.http.post('/api/v1/leaky/client').expect(500);
    const text = logged();
    expect(text).toContain('upstream refused Authorization: Bearer [redacted]');
    expect(text).not.toContain(leaked.access);
    expect(text).not.toContain(leaked.password);
    expect(text).not.toContain(leaked.code);
    expect(text).not.toContain('abcdef');
  });

  it('keeps tokens passed in a URL out of the request log', async () => {
    lines.length = 0;
    await t.http.get(`/api/v1/users/me?access_token=${leaked.access}`);
    const text = logged();
    expect(text).toContain('access_token=[redacted]');
    expect(text).not.toContain(leaked.access);
  });
});
