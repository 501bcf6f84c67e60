import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule } from '#porch/core';
import { CdcModule } from '#porch/cdc';
import { CDC_COMMANDS } from './commands/cdc.command.js';

/**
 * `manage cdc …`: the change-data-capture worker and its tools. No domain module starts (the
 * worker reads the catalog, not the entities); the database module still finds or starts the
 * embedded PostgreSQL and applies pending migrations, so the captured tables exist.
 */
@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(), CdcModule],
  providers: [...CDC_COMMANDS],
})
export class CdcManageModule {}
