import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule, MailModule } from '#porch/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { MakeMigrationsCommand, MigrateCommand } from './commands/migrate.command.js';

/** The same domain modules as the API (so every entity is known), without the HTTP layer. */
@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(), MailModule, ...DOMAIN_MODULES],
  providers: [MigrateCommand, MakeMigrationsCommand],
})
export class ManageModule {}
