import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule, MailModule, ThrottleModule } from '#porch/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { ChangePasswordCommand } from './commands/changepassword.command.js';
import { CreateSuperuserCommand } from './commands/createsuperuser.command.js';
import { MakeMigrationsCommand, MigrateCommand } from './commands/migrate.command.js';
import { Terminal, TERMINAL_QUESTION_SETS } from './commands/terminal.js';

/** The same domain modules as the API (so every entity is known), without the HTTP layer. */
@Module({
  // ThrottleModule: the accounts services count failed logins (CounterStore).
  imports: [ConfigModule, DatabaseModule.forRoot(), MailModule, ThrottleModule, ...DOMAIN_MODULES],
  providers: [
    MigrateCommand,
    MakeMigrationsCommand,
    CreateSuperuserCommand,
    ChangePasswordCommand,
    Terminal,
    ...TERMINAL_QUESTION_SETS,
  ],
})
export class ManageModule {}
