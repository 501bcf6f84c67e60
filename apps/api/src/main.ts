import './preload.js';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigError, configureApp } from '#porch/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.PORT, config.HOST);
  const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  app
    .get(Logger)
    .log(
      `Porch is up: API ${base}/api/v1 · Swagger UI ${base}/docs · admin panel ${base}/admin · health ${base}/health/ready`,
      'Porch',
    );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Porch failed to start:', error);
  }
  process.exit(1);
});
