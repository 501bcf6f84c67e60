import { Injectable, Module, Optional, type DynamicModule, type Type } from '@nestjs/common';
import { CommandFactory, CommandRunner, InjectCommander } from 'nest-commander';

/**
 * The program's name in help and errors (commander would take it from the file: "main").
 * Optional: a testing module built from ManageModule has no commander program.
 */
@Injectable()
export class ProgramName {
  constructor(@Optional() @InjectCommander() program?: { name(name: string): unknown }) {
    program?.name('manage');
  }
}

@Module({})
class CommandLineModule {}

/**
 * Parses the command line against stand-ins of the commands: the same classes and metadata (so
 * the same commander program, options and parsers), on objects that nothing was injected into and
 * whose `run` only records that parsing got that far. `--help` and usage errors are then answered
 * in a Nest context that holds nothing else — no database started, reached or migrated — and the
 * real application is built only for a command line that will run.
 *
 * Returns the class of the command that would run; help and usage errors end the process (commander's exit
 * codes), as they do in the full application.
 */
export async function parseCommandLine(
  commands: Type<CommandRunner>[],
  onUsageError: (error: Error & { exitCode?: number }) => void,
  onCommandError: (error: Error) => void,
  writeOut: (text: string) => void = (text) => process.stdout.write(text),
): Promise<Type<CommandRunner> | undefined> {
  let reached: Type<CommandRunner> | undefined;
  const standIns = commands.map((command) => ({
    provide: command,
    useValue: Object.create(command.prototype as object, {
      run: {
        value: () => {
          reached = command;
          return Promise.resolve();
        },
      },
    }) as CommandRunner,
  }));
  const module: DynamicModule = {
    module: CommandLineModule,
    providers: [...standIns, ProgramName],
  };
  const app = await CommandFactory.createWithoutRunning(module, {
    logger: false,
    errorHandler: onUsageError,
    serviceErrorHandler: onCommandError,
    outputConfiguration: { writeOut },
  });
  try {
    await CommandFactory.runApplication(app);
  } finally {
    await app.close();
  }
  return reached;
}
