import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import pino from 'pino';
import { AppConfig, DatabaseServer, REPO_ROOT } from '#porch/core';
import { CdcAdmin } from './cdc-admin.js';
import { cdcSettings, type CdcSettings } from './cdc-settings.js';
import { CdcWorker } from './cdc-worker.js';

/** Injection token of the resolved CDC settings. */
export const CDC_SETTINGS = Symbol('CDC_SETTINGS');

/** Porch's version, written to each event's `source.version`. */
export function porchVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * The change-data-capture worker and its operator tools, for the manage CLI. Nothing starts on
 * its own: `manage cdc` runs the worker.
 */
@Module({
  providers: [
    {
      provide: CDC_SETTINGS,
      inject: [AppConfig, DatabaseServer],
      useFactory: (config: AppConfig, server: DatabaseServer) => cdcSettings(config, server.url),
    },
    {
      provide: CdcWorker,
      inject: [CDC_SETTINGS, AppConfig],
      useFactory: (settings: CdcSettings, config: AppConfig) =>
        // JSON lines on stderr, as the API logs (stdout stays free for the commands' output).
        new CdcWorker(
          settings,
          porchVersion(),
          pino(
            { level: config.LOG_LEVEL, base: { service: 'porch-cdc', slot: settings.slot } },
            pino.destination({ dest: 2, sync: true }),
          ),
        ),
    },
    {
      provide: CdcAdmin,
      inject: [CDC_SETTINGS],
      useFactory: (settings: CdcSettings) => new CdcAdmin(settings),
    },
  ],
  exports: [CDC_SETTINGS, CdcWorker, CdcAdmin],
})
export class CdcModule {}
