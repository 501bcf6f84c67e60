import { createTestDatabase } from '../utils/database.js';
import {
  serverBuilt,
  SERVER_MAIN,
  startServer,
  type ServerProcess,
} from '../utils/server-process.js';

interface LogLine {
  level: number;
  time: number;
  msg: string;
  context?: string;
  signal?: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

const describeBuilt = serverBuilt ? describe : describe.skip;
if (!serverBuilt) console.warn(`Skipping the log tests: ${SERVER_MAIN} is missing.`);

/** The server's own log, as `npm start` writes it: piped (JSON), then on a "terminal" (pretty). */
describeBuilt('logs of a running server', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const env = () => ({
    NODE_ENV: 'development',
    DATABASE_URL: db.url,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_MS: '200',
  });
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  describe('piped: JSON lines', () => {
    let server: ServerProcess;
    let lines: LogLine[];
    const ids: Record<string, string | null> = {};

    beforeAll(async () => {
      server = await startServer({ ...env(), LOG_FORMAT: 'auto' });
      for (const path of [
        '/api/v1/provinces', // a hot route: answered ahead of Express
        '/api/v1/health-regions?province=ON', // the full Nest pipeline
        '/docs/', // Swagger UI
        '/docs-json',
        '/admin/login', // the admin panel (AdminJS, its own Express router)
        '/nothing-here',
      ]) {
        const res = await fetch(server.base + path, { redirect: 'manual' });
        ids[path] = res.headers.get('x-request-id');
        await res.arrayBuffer();
      }
      await server.stop();
      lines = server
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as LogLine);
    }, 180_000);

    it('summarizes the start in a few lines, with Nest’s module and route mapping left out', () => {
      const ready = lines.findIndex((l) => l.msg.startsWith('ready in '));
      expect(ready).toBeGreaterThan(0);
      const startup = lines.slice(0, ready + 1);
      expect(startup.length).toBeLessThanOrEqual(6);
      expect(startup[0].msg).toMatch(/^Porch \S+ starting: NODE_ENV=development/);
      expect(lines[ready].msg).toContain(
        `API ${server.base.replace('127.0.0.1', 'localhost')}/api/v1`,
      );
      for (const context of ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'])
        expect(lines.filter((l) => l.context === context)).toEqual([]);
    });

    it('stamps each line when it happened, not when a buffer was flushed', () => {
      // Up to SIGTERM, where the app's and the stopping process's last lines may cross.
      const stopping = lines.findIndex((l) => l.context === 'Shutdown');
      const times = lines.slice(0, stopping).map((l) => l.time);
      expect(times.length).toBeGreaterThan(5);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const ready = lines.find((l) => l.msg.startsWith('ready in '))!;
      // Booting takes well over a millisecond: the first line and the ready line differ.
      expect(ready.time).toBeGreaterThan(lines[0].time);
    });

    it('logs one line per request — API, hot routes, Swagger UI, the admin panel, unknown paths', () => {
      const requests = lines.filter((l) => l.req && l.res);
      const seen = requests.map((l) => [l.req!.method, l.req!.url, l.res!.statusCode]);
      expect(seen).toEqual([
        ['GET', '/api/v1/provinces', 200],
        ['GET', '/api/v1/health-regions?province=ON', 200],
        ['GET', '/docs/', 200],
        ['GET', '/docs-json', 200],
        ['GET', '/admin/login', 200],
        ['GET', '/nothing-here', 404],
      ]);
      for (const line of requests) {
        expect(line.req!.id).toBe(ids[line.req!.url]);
        expect(typeof line.responseTime).toBe('number');
      }
    });

    it('says when it is asked to stop and when it has stopped', () => {
      const shutdown = lines.filter((l) => l.context === 'Shutdown').map((l) => l.msg);
      expect(shutdown[0]).toMatch(/^SIGTERM: shutting down \(readiness 503, draining 200 ms/);
      expect(shutdown.at(-1)).toMatch(/^stopped \d+ ms after SIGTERM$/);
      // Among the last lines: nothing is logged after the process says it has stopped but the
      // app's own "stopped" (from its shutdown hook, which may be written out last).
      const last = lines.findLastIndex((l) => l.context === 'Shutdown');
      expect(lines.slice(last + 1).map((l) => l.msg)).toEqual(
        lines.slice(last + 1).length ? ['stopped'] : [],
      );
    });
  });

  it('LOG_FORMAT=pretty: one readable line per request (pino-pretty), no JSON', async () => {
    const server = await startServer({ ...env(), LOG_FORMAT: 'pretty' });
    await (await fetch(`${server.base}/api/v1/provinces/ON`)).arrayBuffer();
    await (await fetch(`${server.base}/api/v1/provinces/XX`)).arrayBuffer();
    await server.stop();
    const out = server.stdout();
    // Not a terminal, so no colour codes; one line per event.
    expect(out).not.toContain('\u001b[');
    expect(out).not.toContain('{"level"');
    expect(out).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Porch\] Porch \S+ starting: /m);
    expect(out).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/api\/v1\/provinces\/ON 200 \d+ ms$/m,
    );
    expect(out).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/api\/v1\/provinces\/XX 404 \d+ ms$/m,
    );
    expect(out).toMatch(/INFO: \[Shutdown\] SIGTERM: shutting down /);
    expect(out).toMatch(/INFO: \[Shutdown\] stopped \d+ ms after SIGTERM\n/);
  }, 180_000);
});
