import { jest } from '@jest/globals';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { RawJsonException, TooManyRequestsProblem } from './problem.exception.js';
import { ProblemDetailsFilter } from './problem.filter.js';

/** Just enough of an Express response to see what the filter sends. */
function fakeHost() {
  const sent: { status?: number; headers: Record<string, string>; type?: string; body?: unknown } =
    {
      headers: {},
    };
  const res = {
    headersSent: false,
    getHeader: (name: string) => sent.headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => void (sent.headers[name.toLowerCase()] = value),
    set(headers: Record<string, string>) {
      for (const [k, v] of Object.entries(headers)) sent.headers[k.toLowerCase()] = v;
      return this;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    send(body: string) {
      sent.body = JSON.parse(body);
      return this;
    },
    json(body: unknown) {
      sent.type = 'application/json';
      sent.body = body;
      return this;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({
      getResponse: () => res,
      getRequest: () => ({ method: 'POST', originalUrl: '/x' }),
    }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('ProblemDetailsFilter', () => {
  it('sends a RawJsonException body verbatim as application/json, with its headers', () => {
    const { host, sent } = fakeHost();
    new ProblemDetailsFilter().catch(
      new RawJsonException(400, { error: 'invalid_grant' }, { 'Cache-Control': 'no-store' }),
      host,
    );
    expect(sent).toEqual({
      status: 400,
      type: 'application/json',
      body: { error: 'invalid_grant' },
      headers: { 'cache-control': 'no-store' },
    });
  });

  it("sends a problem's headers, e.g. Retry-After on 429", () => {
    const { host, sent } = fakeHost();
    new ProblemDetailsFilter().catch(new TooManyRequestsProblem(42.2), host);
    expect(sent.status).toBe(429);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.headers['retry-after']).toBe('43');
    expect(sent.body).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  it('never logs a password hash, even when the database error quotes the row', () => {
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
    const error = Object.assign(
      new Error(`update "users" set "password" = '${hash}' - violates check constraint`),
      { detail: `Failing row contains (1, a@b.c, ${hash}, f).`, nested: { sql: `'${hash}'` } },
    );
    const logged: unknown[] = [];
    const spy = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const { host, sent } = fakeHost();
      new ProblemDetailsFilter().catch(error, host);
      expect(sent.status).toBe(500);
      expect(JSON.stringify(sent.body)).not.toContain('argon2');
      expect(logged).toHaveLength(1);
      const text = JSON.stringify(logged);
      expect(text).toContain('violates check constraint');
      expect(text).toContain('Failing row contains');
      expect(text).not.toContain('$argon2');
    } finally {
      spy.mockRestore();
    }
  });
});
