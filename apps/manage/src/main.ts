// The manage CLI: Porch's `python manage.py`. Run as `npm run manage -- <command> [options]`.
import type { LogLevel } from '@nestjs/common';

const command = process.argv[2];
// Commands that manage migrations themselves must not have them applied on start.
if (command === 'migrate' || command === 'makemigrations') process.env.MIGRATE_ON_START = 'false';
// makemigrations diffs the entities against the committed snapshot (see ormOptions).
if (command === 'makemigrations') process.env.PORCH_MIGRATIONS_SNAPSHOT = '1';
// Commands that need no database run without one (and without the domain modules' start-up).
const offline = command === 'gen-env' || command === 'graph-models';
await import('../../api/src/preload.js');
const { ConsoleLogger } = await import('@nestjs/common');
const { CommandFactory } = await import('nest-commander');
const root = offline
  ? (await import('./offline.module.js')).OfflineManageModule
  : command === 'cdc'
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
  // Usage errors: commander has printed them (and --help its help); keep its exit code.
  errorHandler: (error: Error & { exitCode?: number }) => process.exit(error.exitCode ?? 1),
  // A command failed: its message, exit 1.
  serviceErrorHandler: (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
});
