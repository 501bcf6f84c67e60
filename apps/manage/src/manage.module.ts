import { Module } from '@nestjs/common';
import {
  ConfigModule,
  DatabaseModule,
  MailModule,
  SeedingModule,
  ThrottleModule,
} from '#porch/core';
import { CdcModule } from '#porch/cdc';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { CDC_COMMANDS } from './commands/cdc.command.js';
import { ChangePasswordCommand } from './commands/changepassword.command.js';
import { CreateSuperuserCommand } from './commands/createsuperuser.command.js';
import { DumpDataCommand, LoadDataCommand } from './commands/dumpdata.command.js';
import { GenEnvCommand } from './commands/gen-env.command.js';
import { GraphModelsCommand } from './commands/graph-models.command.js';
import { LoadDemoCommand } from './commands/load-demo.command.js';
import { MakeMigrationsCommand, MigrateCommand } from './commands/migrate.command.js';
import { SeedCommand } from './commands/seed.command.js';
import { Terminal, TERMINAL_QUESTION_SETS } from './commands/terminal.js';

/** The same domain modules as the API (so every entity is known), without the HTTP layer. */
@Module({
  // ThrottleModule: the accounts services count failed logins (CounterStore).
  imports: [
    ConfigModule,
    DatabaseModule.forRoot(),
    MailModule,
    ThrottleModule,
    SeedingModule,
    ...DOMAIN_MODULES,
    CdcModule,
  ],
  providers: [
    MigrateCommand,
    MakeMigrationsCommand,
    CreateSuperuserCommand,
    ChangePasswordCommand,
    Terminal,
    ...TERMINAL_QUESTION_SETS,
    SeedCommand,
    LoadDemoCommand,
    DumpDataCommand,
    LoadDataCommand,
    GraphModelsCommand,
    GenEnvCommand,
    // Listed in --help; `manage cdc …` itself runs in CdcManageModule (no domain modules).
    ...CDC_COMMANDS,
  ],
})
export class ManageModule {}
