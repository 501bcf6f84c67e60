import { AppConfig, logOutput } from '#porch/core';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { ProbeModule } from './probe.module.js';

interface LogLine {
  msg?: string;
  req?: { id?: string; url?: string };
  res?: { statusCode?: number };
}

/** Every request has one id: its `X-Request-Id`, its log lines and its error body's `requestId`. */
describe('request ids', () => {
  let t: TestApp;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    t = await createTestApp({ modules: [ProbeModule], env: { LOG_LEVEL: 'info' } });
    // The log's destination, as pino writes to it (JSON lines).
    const destination = logOutput(t.app.get(AppConfig)).stream as {
      write(chunk: string): boolean;
    };
    // Kept here rather than printed: the test's output stays readable.
    destination.write = (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      return true;
    };
  });
  afterAll(() => t.close());

  const linesOf = (id: string) => lines.filter((l) => l.req?.id === id);

  it.each([
    ['an unknown route', () => t.http.get('/api/v1/nothing-here'), 404],
    [
      'malformed JSON (refused before any route)',
      () => t.http.post('/api/v1/probe').set('content-type', 'application/json').send('{"na'),
      400,
    ],
    ['a validation failure', () => t.http.post('/api/v1/probe').send({ name: 1 }), 400],
    [
      'a bad bearer token',
      () => t.http.get('/api/v1/users/me').set('authorization', 'Bearer x'),
      401,
    ],
    ['a crash', () => t.http.get('/api/v1/probe/boom'), 500],
  ])('puts the id of %s in its header, its body and its log lines', async (_, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(id);
    await new Promise((done) => setImmediate(done));
    const logged = linesOf(id);
    // The request's own line: 'request completed', or 'request errored' for a 5xx.
    expect(logged.find((l) => l.res)?.res?.statusCode).toBe(status);
    // A 500 is also logged as an error, inside the request: with the request's id.
    if (status === 500) expect(logged.map((l) => l.msg)).toContain('unhandled error');
  });

  it("keeps a caller's well-formed X-Request-Id and replaces a malformed one", async () => {
    const kept = await t.http.get('/api/v1/nothing-here').set('x-request-id', 'trace-42.a:b');
    expect(kept.headers['x-request-id']).toBe('trace-42.a:b');
    expect(kept.body.requestId).toBe('trace-42.a:b');
    const replaced = await t.http.get('/api/v1/nothing-here').set('x-request-id', 'a b\u00e9');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.requestId).toBe(replaced.headers['x-request-id']);
  });
});
