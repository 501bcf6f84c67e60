import './preload.js';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  AppConfig,
  ConfigError,
  configureApp,
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
  await app.listen(config.PORT, config.HOST);
  if (cluster.isPrimary) {
    const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
    app
      .get(Logger)
      .log(
        `Porch is up: API ${base}/api/v1 · Swagger UI ${base}/docs · admin panel ${base}/admin · health ${base}/health/ready`,
        'Porch',
      );
  }
}

/**
 * WEB_CONCURRENCY > 1: a primary process forks that many API workers sharing the port (Node
 * cluster). With the embedded database the primary owns PostgreSQL and the workers connect to it.
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
  let stopping = false;
  const fork = () => cluster.fork(env);
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited (${code}); starting another`);
      fork();
    } else if (Object.keys(cluster.workers ?? {}).length === 0) {
      void embedded?.stop().finally(() => process.exit(0));
      if (!embedded) process.exit(0);
    }
  });
  const shutdown = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
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
