import './preload.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_PREFIX, buildOpenApiDocument, REPO_ROOT } from '#porch/core';
import { AppModule } from './app.module.js';

/**
 * Writes the OpenAPI document to `openapi.json` (or, with --check, fails when the committed one
 * differs), so API changes show in review. Preview mode: no database, no providers started.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
  const document = JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n';
  const file = join(REPO_ROOT, 'openapi.json');
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (committed !== document) {
      console.error(
        'openapi.json is stale: run `npm run build && npm run openapi` and commit the result.',
      );
      process.exit(1);
    }
    console.log('openapi.json is current.');
  } else {
    writeFileSync(file, document);
    console.log(`wrote ${file}`);
  }
  process.exit(0);
}

void main();
