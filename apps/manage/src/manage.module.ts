import { Module } from '@nestjs/common';
import {
  AccessModule,
  ConfigModule,
  DatabaseModule,
  IdempotencyModule,
  MailModule,
  SeedingModule,
  ThrottleModule,
} from '#porch/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { ProgramName } from './command-line.js';
import { CDC_COMMANDS } from './commands/cdc.command.js';
import { ClearExpiredCommand } from './commands/clearexpired.command.js';
import { ChangePasswordCommand } from './commands/changepassword.command.js';
import { CreateSuperuserCommand } from './commands/createsuperuser.command.js';
import { DumpDataCommand, LoadDataCommand } from './commands/dumpdata.command.js';
import { GenEnvCommand } from './commands/gen-env.command.js';
import { GraphModelsCommand } from './commands/graph-models.command.js';
import { LoadDemoCommand } from './commands/load-demo.command.js';
import { MakeMigrationsCommand, MigrateCommand } from './commands/migrate.command.js';
import { SeedCommand } from './commands/seed.command.js';
import { Terminal, TERMINAL_QUESTION_SETS } from './commands/terminal.js';

/** Every command, in the order `manage --help` lists them. */
export const MANAGE_COMMANDS = [
  MigrateCommand,
  MakeMigrationsCommand,
  CreateSuperuserCommand,
  ChangePasswordCommand,
  SeedCommand,
  LoadDemoCommand,
  DumpDataCommand,
  LoadDataCommand,
  GraphModelsCommand,
  GenEnvCommand,
  ClearExpiredCommand,
];

/**
 * What `manage --help` lists and the command line is parsed against: those, then `cdc` and its
 * subcommands, which run in CdcManageModule (no domain modules).
 */
export const ALL_COMMANDS = [...MANAGE_COMMANDS, ...CDC_COMMANDS];

/** The same domain modules as the API (so every entity is known), without the HTTP layer. */
@Module({
  // ThrottleModule: the accounts services count failed logins (CounterStore); AccessModule: the
  // services' AccessService (checkers register as in the API); IdempotencyModule: the domain
  // controllers' `@Idempotent()` routes resolve their interceptor, though nothing serves them here.
  imports: [
    AccessModule,
    ConfigModule,
    DatabaseModule.forRoot(),
    IdempotencyModule,
    MailModule,
    ThrottleModule,
    SeedingModule,
    ...DOMAIN_MODULES,
  ],
  providers: [...MANAGE_COMMANDS, Terminal, ...TERMINAL_QUESTION_SETS, ProgramName],
})
export class ManageModule {}
