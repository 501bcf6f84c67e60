import './preload.js';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  ConfigError,
  configureApp,
  installGracefulShutdown,
  loadConfig,
  PorchExpressAdapter,
  PorchLogger,
  serveClusterMetrics,
  startEmbeddedPostgres,
} from '#porch/core';
import { PORCH_VERSION as version } from './version.js';

/** One API process: the Nest app on PORT. */
async function serve(): Promise<void> {
  const config = loadConfig();
  // Lines are written as they happen (real timestamps), not buffered until the app exists.
  const logger = PorchLogger.boot(config);
  if (cluster.isPrimary)
    logger.log(
      `Porch ${version} starting: NODE_ENV=${config.NODE_ENV}, Node ${process.version}, database ${
        config.DATABASE_URL ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.DATA_DIR}`
      }`,
      'Porch',
    );
  // Imported here, not at the top: a cluster primary never loads the app (AdminJS and all).
  const { AppModule } = await import('./app.module.js');
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule,
    new PorchExpressAdapter(),
    { bodyParser: false, logger },
  );
  configureApp(app);
  // A cluster worker leaves its primary a second of the budget to stop the embedded database.
  const timeoutMs = cluster.isWorker
    ? Math.max(config.SHUTDOWN_TIMEOUT_MS - WORKER_MARGIN_MS, config.SHUTDOWN_DRAIN_MS + 500)
    : config.SHUTDOWN_TIMEOUT_MS;
  const appLogger = app.get(PorchLogger);
  installGracefulShutdown(app, { drainMs: config.SHUTDOWN_DRAIN_MS, timeoutMs, logger: appLogger });
  await app.listen(config.PORT, config.HOST);
  if (cluster.isPrimary) {
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const base = config.PUBLIC_URL ?? `http://localhost:${port}`;
    appLogger.log(
      `ready in ${process.uptime().toFixed(1)} s: API ${base}/api/v1 · Swagger UI ${base}/docs · admin panel ${base}/admin · health ${base}/health/ready`,
      'Porch',
    );
  }
}

/** Of SHUTDOWN_TIMEOUT_MS, what a cluster primary keeps for itself after its workers exit. */
const WORKER_MARGIN_MS = 1_000;

/**
 * WEB_CONCURRENCY > 1: a primary process forks that many API workers sharing the port (Node
 * cluster). With the embedded database the primary owns PostgreSQL and the workers connect to it.
 * On SIGTERM it passes the signal on, waits for every worker to drain and exit, stops the
 * embedded PostgreSQL and exits; at SHUTDOWN_TIMEOUT_MS it kills what is left.
 */
async function primary(workers: number): Promise<void> {
  const config = loadConfig();
  const logger = PorchLogger.boot(config);
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.DATA_DIR,
        database: 'porch',
        log: (m) => logger.log(m, 'EmbeddedPostgres'),
      });
  const env = embedded ? { DATABASE_URL: embedded.url } : {};
  let stopping = 0;
  const fork = () => cluster.fork(env);
  for (let i = 0; i < workers; i++) fork();
  let finished = false;
  const finish = async (code: number) => {
    if (finished) return;
    finished = true;
    await embedded
      ?.stop()
      .catch((e: unknown) => console.error(`embedded PostgreSQL: ${String(e)}`));
    console.log(
      `Porch primary ${process.pid}: stopped ${Date.now() - stopping} ms after the signal`,
    );
    process.exit(code);
  };
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited (${code}); starting another`);
      fork();
    } else if (Object.keys(cluster.workers ?? {}).length === 0) {
      void finish(0);
    }
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = Date.now();
    console.log(
      `Porch primary ${process.pid}: ${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers (exit within ${config.SHUTDOWN_TIMEOUT_MS} ms)`,
    );
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(
      () => {
        console.error(`Porch primary ${process.pid}: shutdown deadline reached: killing workers`);
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        void finish(1);
      },
      config.SHUTDOWN_TIMEOUT_MS - WORKER_MARGIN_MS / 2,
    ).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // One scrape of METRICS_PORT sums every worker's metrics.
  if (config.METRICS_PORT)
    (await serveClusterMetrics(config.METRICS_PORT, config.HOST, config.METRICS_TOKEN)).unref();
  const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  logger.log(
    `Porch ${version} primary ${process.pid}: ${workers} workers on ${base} (API /api/v1 · Swagger UI /docs · admin /admin)`,
    'Porch',
  );
}

const config = loadConfig();
const start =
  cluster.isPrimary && config.WEB_CONCURRENCY > 1 ? primary(config.WEB_CONCURRENCY) : serve();
start.catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
