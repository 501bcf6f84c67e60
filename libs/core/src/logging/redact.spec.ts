import { createHash, randomBytes } from 'node:crypto';
import { Algorithm, hash } from '@node-rs/argon2';
import { REDACTED, redact, redactQuery, redactText } from './redact.js';

/** A real argon2id PHC string with Porch's parameters (`m=19456,t=2,p=1`: two commas). */
const argon2 = (password: string) =>
  hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
/** An access token as TokensService makes them: 256 random bits, base64url. */
const token = () => randomBytes(32).toString('base64url');

describe('redactText', () => {
  it('removes a whole real argon2id hash, parameters, salt and digest (past the commas)', async () => {
    const phc = await argon2('correct-horse-battery-staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    const [, , , , salt, digest] = phc.split('$');
    const line = `Failing row contains (0192, Ann@Example.test, ${phc}, Ann, null).`;
    const out = redactText(line);
    expect(out).toBe(`Failing row contains (0192, Ann@Example.test, ${REDACTED}, Ann, null).`);
    expect(out).not.toContain(salt);
    expect(out).not.toContain(digest);
    expect(out).not.toContain('m=19456');
  });

  it("removes hashes inside MikroORM's SQL, quoted", async () => {
    const phc = await argon2('x');
    const sql = `insert into "users" ("email", "password") values ('a@b.test', '${phc}') - duplicate key value violates unique constraint "users_email_unique"`;
    const out = redactText(sql);
    expect(out).not.toContain(phc.split('$')[5]);
    expect(out).toContain('users_email_unique');
  });

  it('removes bearer and basic credentials, keeping the scheme', () => {
    const access = token();
    const basic = Buffer.from('ann@example.test:hunter22').toString('base64');
    const out = redactText(`Authorization: Bearer ${access}; then Authorization: Basic ${basic}`);
    expect(out).not.toContain(access);
    expect(out).not.toContain(basic);
    expect(out).toContain(`Bearer ${REDACTED}`);
  });

  it('removes named secrets in JSON, forms and query strings', () => {
    const refresh = token();
    const cases = [
      `{"email":"a@b.test","password":"hunter2 with spaces","newPassword":"Sekr3t!"}`,
      `grant_type=password&username=a%40b.test&password=hunter2&refresh_token=${refresh}`,
      `/api/v1/things?access_token=${refresh}&limit=20`,
      `cookie: porch_admin=s%3Aabc.def; session_secret=0123456789abcdef0123456789abcdef`,
    ];
    for (const text of cases) {
      const out = redactText(text);
      expect(out).not.toMatch(/hunter2|Sekr3t|porch_admin=s|0123456789abcdef/);
      expect(out).not.toContain(refresh);
    }
    expect(redactQuery('/x?limit=20&token=abc')).toBe(`/x?limit=20&token=${REDACTED}`);
  });

  it('removes 6-digit reset codes, salts and digests, but keeps SQLSTATE codes and UUIDs', () => {
    const salt = randomBytes(16).toString('hex');
    const digest = createHash('sha256').update(`${salt}:123456`).digest('hex');
    const out = redactText(
      `{"email":"a@b.test","code":"123456"} code=654321 (0192f0c4-6a1b-7cde-8f00-9876501234ab, ${salt}, ${digest}) code: "23505"`,
    );
    expect(out).not.toMatch(/123456|654321/);
    expect(out).not.toContain(salt);
    expect(out).not.toContain(digest);
    expect(out).toContain('0192f0c4-6a1b-7cde-8f00-9876501234ab');
    expect(out).toContain('"23505"');
  });
});

describe('redact (objects and errors)', () => {
  it('replaces values under secret keys at any depth, and scrubs every string', async () => {
    const phc = await argon2('pw');
    const access = token();
    const value = redact({
      headers: { authorization: `Bearer ${access}`, cookie: 'porch_admin=abc', accept: '*/*' },
      body: { email: 'a@b.test', password: 'hunter2', code: '123456', name: 'Ann' },
      rows: [{ password: phc }, `${phc}`],
      sqlState: { code: '23514' },
    });
    const text = JSON.stringify(value);
    expect(text).not.toMatch(/hunter2|123456|porch_admin=abc/);
    expect(text).not.toContain(access);
    expect(text).not.toContain(phc.split('$')[4]);
    expect(value).toMatchObject({
      headers: { authorization: REDACTED, cookie: REDACTED, accept: '*/*' },
      body: { email: 'a@b.test', password: REDACTED, code: REDACTED, name: 'Ann' },
      sqlState: { code: '23514' },
    });
  });

  it('turns an error into a plain object: message, stack, fields and cause, all scrubbed', async () => {
    const phc = await argon2('pw');
    const cause = new Error(`upstream said Bearer ${token()}`);
    const error = Object.assign(new Error(`insert failed: ${phc}`, { cause }), {
      detail: `Failing row contains (${phc}).`,
      code: '23514',
    });
    const out = redact(error) as Record<string, unknown>;
    expect(out).toMatchObject({ type: 'Error', code: '23514' });
    const text = JSON.stringify(out);
    expect(text).not.toContain(phc.split('$')[5]);
    expect(text).toContain('Failing row contains');
    expect((out.cause as { message: string }).message).toBe(`upstream said Bearer ${REDACTED}`);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[circular]' });
  });
});
