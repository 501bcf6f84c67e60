import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule, MailModule, SeedingModule } from '#porch/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { DumpDataCommand, LoadDataCommand } from './commands/dumpdata.command.js';
import { GenEnvCommand } from './commands/gen-env.command.js';
import { GraphModelsCommand } from './commands/graph-models.command.js';
import { LoadDemoCommand } from './commands/load-demo.command.js';
import { MakeMigrationsCommand, MigrateCommand } from './commands/migrate.command.js';
import { SeedCommand } from './commands/seed.command.js';

/** The same domain modules as the API (so every entity is known), without the HTTP layer. */
@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(), MailModule, SeedingModule, ...DOMAIN_MODULES],
  providers: [
    MigrateCommand,
    MakeMigrationsCommand,
    SeedCommand,
    LoadDemoCommand,
    DumpDataCommand,
    LoadDataCommand,
    GraphModelsCommand,
    GenEnvCommand,
  ],
})
export class ManageModule {}
