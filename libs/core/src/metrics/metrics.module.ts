import cluster from 'node:cluster';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Global,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config.js';
import {
  answerMetrics,
  isMetricsRequest,
  PorchMetrics,
  registryText,
  serveMetrics,
  shareWithClusterPrimary,
} from './metrics.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Prometheus metrics for the API process, on when METRICS_PORT or METRICS_TOKEN is set (else
 * nothing is collected). Every request is counted where the HTTP server receives it, so 404s and the admin panel are counted too; `/metrics` itself is answered there,
 * ahead of Express: no log line, no rate limit, not in the OpenAPI document.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  /** The process's metrics; undefined while metrics are off. */
  metrics?: PorchMetrics;
  private listener?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly orm: MikroORM,
  ) {}

  /** The port the metrics listener of this process listens on, if it has one. */
  get listening(): number | undefined {
    const address = this.listener?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  get enabled(): boolean {
    return this.config.METRICS_PORT !== undefined || this.config.METRICS_TOKEN !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!this.enabled || !server) return;
    const metrics = (this.metrics = new PorchMetrics());
    const knex = (this.orm.em as EntityManager).getConnection().getKnex();
    metrics.dbPool('primary', () => {
      // The ORM's pool (tarn) has no MikroORM accessor: its counters are read through knex's
      // client, read-only, for these gauges alone (the one place the lint rule is waived).
      // eslint-disable-next-line no-restricted-syntax
      const pool = (knex.client as Knex.Client).pool;
      return pool
        ? {
            used: pool.numUsed(),
            free: pool.numFree(),
            pendingAcquires: pool.numPendingAcquires(),
            pendingCreates: pool.numPendingCreates(),
            max: this.config.DATABASE_POOL_MAX,
          }
        : undefined;
    });
    const { METRICS_PORT: port, METRICS_TOKEN: token } = this.config;
    this.instrument(server, metrics, port === undefined ? token : undefined);
    if (port === undefined) return;
    if (cluster.isWorker) {
      // The primary serves METRICS_PORT with every worker's sum (serveClusterMetrics).
      shareWithClusterPrimary(metrics.registry);
      return;
    }
    this.listener = await serveMetrics(
      port,
      this.config.HOST,
      registryText(metrics.registry),
      token,
    );
    this.logger.log(`metrics on http://${this.config.HOST}:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await new Promise((done) => listener.close(done));
  }

  /**
   * Puts the counting in front of the server's request listener (Express); with `token` (METRICS_TOKEN without METRICS_PORT) `/metrics` is answered here.
   */
  private instrument(server: Server, metrics: PorchMetrics, token: string | undefined): void {
    const inner = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    const http = metrics.http();
    const route = (req: IncomingMessage) => this.routeOf(req);
    const text = registryText(metrics.registry);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (token !== undefined && isMetricsRequest(req)) {
        void answerMetrics(req, res, text, token);
        return;
      }
      http.track(req, res, route);
      for (const listener of inner) listener.call(server, req, res);
    });
  }

  /** The pattern of the route that took the request, for a bounded `route` label. */
  private routeOf(req: IncomingMessage): string {
    const { route, baseUrl } = req as Partial<Request>;
    // A catch-all (`{*path}`: Nest's not-found route, middleware mounts) names no route.
    if (typeof route?.path === 'string' && !route.path.includes('*'))
      return (baseUrl ?? '') + route.path;
    const url = (req.url ?? '').split('?')[0];
    // Static files (Swagger UI, the admin panel's assets) have no route of their own.
    if (url === '/docs' || url.startsWith('/docs')) return '/docs';
    if (url === '/admin' || url.startsWith('/admin/')) return '/admin';
    return 'unmatched';
  }
}

@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
