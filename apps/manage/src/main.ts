// The manage CLI: Porch's `python manage.py`. Run as `npm run manage -- <command> [options]`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '@nestjs/common';

await import('../../api/src/node-version.js');
await import('./compile-cache.js');
// A help text this build has shown before: printed before anything else is loaded.
const { cachedHelp, helpKey, rememberHelp } = await import('./help-cache.js');
const helpRequest = helpKey(process.argv.slice(2));
const cached = helpRequest === undefined ? undefined : cachedHelp(helpRequest);
if (cached !== undefined) {
  process.stdout.write(cached);
  process.exit(0);
}
// The environment first; the configuration is checked once the command line is (so that
// `--help` answers whatever the configuration, as in an image run without its variables).
await import('../../api/src/environment.js');
const { ConsoleLogger } = await import('@nestjs/common');
const { CommandFactory } = await import('nest-commander');
const { ALL_COMMANDS } = await import('./manage.module.js');
const { CDC_COMMANDS } = await import('./commands/cdc.command.js');
const { parseCommandLine } = await import('./command-line.js');
const { REPO_ROOT } = await import('#porch/core');
const { MakeMigrationsCommand, MigrateCommand } = await import('./commands/migrate.command.js');
const { GenEnvCommand } = await import('./commands/gen-env.command.js');
const { GraphModelsCommand } = await import('./commands/graph-models.command.js');
const { assertFakerInstalled, SeedCommand } = await import('./commands/seed.command.js');

// What commander prints: a help request's text is remembered when it exits successfully
// (commander ends the process itself after a subcommand's help).
let shown = '';
if (helpRequest !== undefined)
  process.once('exit', (code) => {
    if (code === 0 && shown) rememberHelp(helpRequest, shown);
  });
// Usage errors: commander has printed them (and --help its help); keep its exit code.
const onUsageError = (error: Error & { exitCode?: number }) => process.exit(error.exitCode ?? 1);
// A command failed: its message, exit 1.
const onCommandError = (error: Error) => {
  console.error(error.message);
  process.exit(1);
};

// --help and usage errors are answered here, before any database is started or reached.
const command = await parseCommandLine(ALL_COMMANDS, onUsageError, onCommandError, (text) => {
  shown += text;
  process.stdout.write(text);
});
if (!command) process.exit(process.exitCode ?? 0);

// Commands that write files of a checkout (a migration, docs/erd.md) are pointless in the image.
if (
  (command === MakeMigrationsCommand || command === GraphModelsCommand) &&
  !existsSync(join(REPO_ROOT, 'tsconfig.build.json'))
) {
  const name = command === MakeMigrationsCommand ? 'makemigrations' : 'graph-models';
  console.error(
    `${name} works on a checkout of Porch's sources (it writes files there); run it in one, ` +
      'not in the Docker image.',
  );
  process.exit(1);
}

// seed needs a dev dependency: say so before reaching any database.
if (command === SeedCommand) {
  try {
    assertFakerInstalled();
  } catch (error) {
    onCommandError(error as Error);
  }
}
await import('../../api/src/preload.js');

// Commands that manage migrations themselves must not have them applied on start.
if (command === MigrateCommand || command === MakeMigrationsCommand)
  process.env.MIGRATE_ON_START = 'false';
// makemigrations diffs the entities against the committed snapshot (see ormOptions).
if (command === MakeMigrationsCommand) process.env.PORCH_MIGRATIONS_SNAPSHOT = '1';
// Commands that need no database run without one (and without the domain modules' start-up).
const offline = command === GenEnvCommand || command === GraphModelsCommand;
const root = offline
  ? (await import('./offline.module.js')).OfflineManageModule
  : (CDC_COMMANDS as unknown[]).includes(command)
    ? (await import('./cdc-manage.module.js')).CdcManageModule
    : (await import('./manage.module.js')).ManageModule;

/** Nest's warnings on stderr: stdout is for what a command outputs (dumpdata's JSON). */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}

await CommandFactory.run(root, {
  logger: new StderrLogger('manage', { logLevels: ['error', 'warn'] }),
  errorHandler: onUsageError,
  serviceErrorHandler: onCommandError,
});
