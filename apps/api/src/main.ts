import './preload.js';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  AppConfig,
  ConfigError,
  configureApp,
  installGracefulShutdown,
  loadConfig,
  PorchExpressAdapter,
  serveClusterMetrics,
  startEmbeddedPostgres,
} from '#porch/core';
import { Logger } from 'nestjs-pino';

/** One API process: the Nest app on PORT. */
async function serve(): Promise<void> {
  // Imported here, not at the top: a cluster primary never loads the app (AdminJS and all).
  const { AppModule } = await import('./app.module.js');
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule,
    new PorchExpressAdapter(),
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  configureApp(app);
  const config = app.get(AppConfig);
  const logger = app.get(Logger);
  // A cluster worker leaves its primary a second of the budget to stop the embedded database.
  const timeoutMs = cluster.isWorker
    ? Math.max(config.SHUTDOWN_TIMEOUT_MS - WORKER_MARGIN_MS, config.SHUTDOWN_DRAIN_MS + 500)
    : config.SHUTDOWN_TIMEOUT_MS;
  installGracefulShutdown(app, { drainMs: config.SHUTDOWN_DRAIN_MS, timeoutMs, logger });
  await app.listen(config.PORT, config.HOST);
  if (cluster.isPrimary) {
    const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
    logger.log(
      `Porch is up: API ${base}/api/v1 · Swagger UI ${base}/docs · admin panel ${base}/admin · health ${base}/health/ready`,
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
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.DATA_DIR,
        database: 'porch',
        log: (m) => console.log(m),
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
  console.log(
    `Porch primary ${process.pid}: ${workers} workers on ${base} (API /api/v1 · Swagger UI /docs · admin /admin)`,
  );
}

const config = loadConfig();
const start =
  cluster.isPrimary && config.WEB_CONCURRENCY > 1 ? primary(config.WEB_CONCURRENCY) : serve();
start.catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
