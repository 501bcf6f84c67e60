import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/** Where the database is: DATABASE_URL, or an embedded PostgreSQL this process starts or joins. */
export abstract class DatabaseServer {
  abstract readonly url: string;
  abstract readonly owner: boolean;
  abstract stop(): Promise<void>;
}

export async function resolveDatabaseServer(config: AppConfig): Promise<DatabaseServer> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, owner: false, stop: async () => undefined };
  }
  const logger = new Logger('EmbeddedPostgres');
  return startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    database: 'porch',
    log: (m) => (/FATAL|PANIC/.test(m) ? logger.error(m) : logger.log(m)),
  });
}
