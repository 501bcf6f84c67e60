import fs from 'node:fs';
import { createSuperuser } from '../utils/admin-factories.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

// First in this file: nestjs-pino keeps the first app's root logger for the whole process (here:
// the whole file), so this app's LOG_LEVEL must be the one it starts with.
describe('TRUST_PROXY=true', () => {
  it('starts with a warning that X-Forwarded-For can be spoofed', async () => {
    const lines: string[] = [];
    const writeSync = fs.writeSync;
    fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 && typeof data === 'string') {
        lines.push(data);
        return Buffer.byteLength(data);
      }
      return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync;
    let t: TestApp | undefined;
    try {
      t = await createTestApp({ env: { TRUST_PROXY: 'true', LOG_LEVEL: 'warn' } });
    } finally {
      fs.writeSync = writeSync;
      await t?.close();
    }
    const warning = lines.map((l) => JSON.parse(l)).find((l) => /TRUST_PROXY/.test(l.msg));
    expect(warning).toMatchObject({ level: 40, context: 'Config' });
    expect(warning.msg).toMatch(/spoof/);
    expect(warning.msg).toMatch(/TRUST_PROXY=1/);
  });
});

/**
 * Issue 14 §7: TRUST_PROXY as a hop count. Here the test client is the proxy (it connects from
 * 127.0.0.1) and writes X-Forwarded-For as a proxy does: whatever the client sent, then the
 * address it saw the client connect from.
 */
describe('behind one proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  const CLIENT = '203.0.113.77';
  const login = (email: string, password: string, spoofed?: string) =>
    t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', spoofed ? `${spoofed}, ${CLIENT}` : CLIENT)
      .send({ email, password });

  it('a spoofed X-Forwarded-For does not reset the login limit', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) await login(user.email, `wrong-${i}`, `10.0.0.${i}`).expect(401);
    // Every new "address" the client claims is ignored: only the proxy's entry counts.
    await login(user.email, FACTORY_PASSWORD, '198.51.100.1').expect(429);
    await login(user.email, FACTORY_PASSWORD, '198.51.100.1, 198.51.100.2').expect(429);
    await login(user.email, FACTORY_PASSWORD).expect(429);
  });

  it('sets the admin cookie Secure when the request reached the proxy over TLS', async () => {
    const admin = await createSuperuser(t);
    const login = (proto?: string) => {
      const req = t.http
        .post('/admin/login')
        .set('X-Forwarded-For', CLIENT)
        .type('form')
        .send({ email: admin.email, password: FACTORY_PASSWORD });
      return proto ? req.set('X-Forwarded-Proto', proto) : req;
    };
    const tls = await login('https').expect(302);
    expect(String(tls.headers['set-cookie'])).toMatch(/porch_admin=.*; Secure/);
    const plain = await login().expect(302);
    expect(String(plain.headers['set-cookie'])).toMatch(/porch_admin=/);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('no proxy trusted (TRUST_PROXY=false, the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'false' } });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-Proto: a client cannot ask for a Secure cookie over plain HTTP', async () => {
    const admin = await createSuperuser(t);
    const res = await t.http
      .post('/admin/login')
      .set('X-Forwarded-Proto', 'https')
      .type('form')
      .send({ email: admin.email, password: FACTORY_PASSWORD })
      .expect(302);
    expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('ignores X-Forwarded-For: the socket address is the client', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 5; i++)
      await t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `10.1.0.${i}`)
        .send({ email: user.email, password: 'wrong' })
        .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '10.1.0.99')
      .send({ email: user.email, password: FACTORY_PASSWORD })
      .expect(429);
  });
});
