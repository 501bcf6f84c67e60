import { createHash, timingSafeEqual } from 'node:crypto';
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import { problem, PROBLEM_CONTENT_TYPE } from '../errors/problem.js';

/** Pool figures as tarn (knex's pool) reports them. */
export interface PoolStats {
  used: number;
  free: number;
  pendingAcquires: number;
  pendingCreates: number;
  max: number;
}

/** What the CDC worker reports about its replication slot, read at each scrape. */
export interface CdcLag {
  /** The replication slot read (a label: the series is absent until the first good read). */
  slot: string;
  /** WAL bytes between the server's current position and the slot's confirmed position. */
  bytes: number;
  /** Seconds since the commit of the last change written to Redis (0 when caught up). */
  seconds: number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Porch's Prometheus metrics: one registry per process (one per app under Jest, which boots many
 * apps in one process), with Node's and the process's default metrics (CPU, memory, GC, handles,
 * event-loop lag) and what Porch adds: HTTP requests (`http()`), database pools (`dbPool()`) and
 * the CDC worker's lag (`cdcLag()`). Usable without Nest: the CDC worker makes one, registers its
 * lag and serves it with `serveMetrics()`.
 */
export class PorchMetrics {
  readonly registry = new Registry();
  private httpMetrics?: HttpMetrics;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  http(): HttpMetrics {
    return (this.httpMetrics ??= new HttpMetrics(this.registry));
  }

  /** Gauges of a connection pool, read from `stats` at each scrape (undefined: pool closed). */
  dbPool(pool: string, stats: () => PoolStats | undefined): void {
    this.gauge(
      'db_pool_connections',
      'Pool connections by state (used: lent out)',
      ['pool', 'state'],
      (g) => {
        const s = stats();
        if (!s) return;
        g.set({ pool, state: 'used' }, s.used);
        g.set({ pool, state: 'free' }, s.free);
      },
    );
    const single = (name: string, help: string, pick: (s: PoolStats) => number) =>
      this.gauge(name, help, ['pool'], (g) => {
        const s = stats();
        if (s) g.set({ pool }, pick(s));
      });
    single(
      'db_pool_pending_acquires',
      'Queries waiting for a pool connection',
      (s) => s.pendingAcquires,
    );
    single('db_pool_pending_creates', 'Pool connections being opened', (s) => s.pendingCreates);
    single('db_pool_max', 'Largest size of the pool (DATABASE_POOL_MAX)', (s) => s.max);
  }

  /**
   * The CDC worker's seam: its replication lag, read at each scrape (`cdc_lag_bytes{slot}`,
   * `cdc_lag_seconds{slot}`). `lag` may be async (a query of pg_replication_slots); a failed
   * read leaves the gauges out of that scrape rather than failing it.
   */
  cdcLag(lag: () => CdcLag | Promise<CdcLag>): void {
    let last: Promise<CdcLag | undefined> | undefined;
    // Both gauges are collected in one scrape: read the source once per scrape.
    const read = () =>
      (last ??= Promise.resolve()
        .then(lag)
        .catch(() => undefined)
        .finally(() => setImmediate(() => (last = undefined))));
    const lagGauge = (name: string, help: string, pick: (l: CdcLag) => number) =>
      this.gauge(name, help, ['slot'], async (g) => {
        const value = await read();
        if (value) g.set({ slot: value.slot }, pick(value));
      });
    lagGauge('cdc_lag_bytes', 'WAL bytes the CDC worker has not yet written out', (l) => l.bytes);
    lagGauge('cdc_lag_seconds', 'Age of the oldest change not yet written out', (l) => l.seconds);
  }

  private gauge(
    name: string,
    help: string,
    labelNames: string[],
    collect: (gauge: Gauge) => void | Promise<void>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect(this: Gauge) {
        this.reset();
        return collect(this);
      },
    });
  }
}

/**
 * Requests by route pattern, method and status, and their latency. Labels are bounded: the route
 * is the pattern that matched (`/api/v1/fsa/:code`), never the raw URL; requests no route took
 * count as `unmatched`; methods outside the usual ones count as `OTHER`.
 */
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status code (0: client gone first)',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the request to the end of its response, by route pattern and method',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  /** Starts timing a request; its route is read when the response is over. */
  track(req: IncomingMessage, res: ServerResponse, route: (req: IncomingMessage) => string): void {
    const start = performance.now();
    res.once('close', () => {
      const method = METHODS.has(req.method!) ? req.method! : 'OTHER';
      const labels = { method, route: route(req) };
      this.duration.observe(labels, (performance.now() - start) / 1000);
      this.requests.inc({ ...labels, status: res.writableFinished ? res.statusCode : 0 });
    });
  }
}

/** `Authorization: Bearer <token>` equals the token, compared in constant time. */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export const METRICS_PATH = '/metrics';

/** Whether a request asks for the metrics path (with or without a query). */
export function isMetricsRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return url === METRICS_PATH || url.startsWith(`${METRICS_PATH}?`);
}

/**
 * Answers a request for `/metrics` from `text()`: 405 for anything but GET/HEAD, 401 without the
 * bearer token (when there is one), 404 for another path. Never logged, never rate-limited.
 */
export async function answerMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  text: () => Promise<{ body: string; contentType: string }>,
  token?: string,
): Promise<void> {
  const refuse = (status: number, detail: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, ...headers });
    res.end(JSON.stringify(problem(status, detail)));
  };
  if (!isMetricsRequest(req)) return refuse(404, `Only ${METRICS_PATH} is served here`);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return refuse(405, 'Metrics are read with GET', { allow: 'GET, HEAD' });
  if (token !== undefined && !bearerMatches(req, token))
    return refuse(401, 'A bearer token is required', { 'www-authenticate': 'Bearer' });
  try {
    const { body, contentType } = await text();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    refuse(503, 'Metrics could not be collected');
  }
}

/** A listener of its own for `/metrics` (METRICS_PORT). Resolves once it listens. */
export function serveMetrics(
  port: number,
  host: string,
  text: () => Promise<{ body: string; contentType: string }>,
  token?: string,
): Promise<Server> {
  const server = createServer((req, res) => void answerMetrics(req, res, text, token));
  // Scrapes are short: don't keep idle connections (or a stopping process) waiting.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The text of a registry, as `answerMetrics` wants it. */
export const registryText = (registry: Registry) => async () => ({
  body: await registry.metrics(),
  contentType: registry.contentType,
});

/**
 * WEB_CONCURRENCY > 1: the cluster primary serves METRICS_PORT with the sum of every worker's
 * metrics (prom-client asks each worker over the cluster's IPC channel), so one scrape sees the
 * whole pod. Workers then open no listener of their own (`MetricsService`).
 */
export function serveClusterMetrics(port: number, host: string, token?: string): Promise<Server> {
  const aggregator = new AggregatorRegistry();
  return serveMetrics(
    port,
    host,
    async () => ({ body: await aggregator.clusterMetrics(), contentType: aggregator.contentType }),
    token,
  );
}

/** In a cluster worker, answers the primary's requests for this registry's metrics. */
export function shareWithClusterPrimary(registry: Registry): void {
  if (cluster.isWorker) AggregatorRegistry.setRegistries([registry]);
}
