import { MikroORM } from '@mikro-orm/core';
import { Command, CommandRunner, Option } from 'nest-commander';

interface MigrateOptions {
  to?: string;
  list?: boolean;
}

@Command({
  name: 'migrate',
  description: 'Apply pending migrations (or migrate down/up to one with --to)',
})
export class MigrateCommand extends CommandRunner {
  constructor(private readonly orm: MikroORM) {
    super();
  }

  async run(_args: string[], options: MigrateOptions): Promise<void> {
    const migrator = this.orm.getMigrator();
    if (options.list) {
      const executed = new Set((await migrator.getExecutedMigrations()).map((m) => m.name));
      const pending = await migrator.getPendingMigrations();
      for (const name of executed) console.log(`[X] ${name}`);
      for (const m of pending) console.log(`[ ] ${m.name}`);
      return;
    }
    if (options.to) {
      const executed = (await migrator.getExecutedMigrations()).map((m) => m.name);
      const applied = executed.includes(options.to)
        ? await migrator.down({ to: options.to })
        : await migrator.up({ to: options.to });
      console.log(
        `${executed.includes(options.to) ? 'Reverted' : 'Applied'} ${applied.length} migration(s).`,
      );
      return;
    }
    const applied = await migrator.up();
    if (!applied.length) console.log('No migrations to apply.');
    for (const m of applied) console.log(`Applied ${m.name}`);
  }

  @Option({ flags: '--to <name>', description: 'Target migration name (down if already applied)' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--list', description: 'Show applied [X] and pending [ ] migrations' })
  parseList(): boolean {
    return true;
  }
}

@Command({
  name: 'makemigrations',
  description: 'Write a migration for entity changes (refuses an empty one)',
})
export class MakeMigrationsCommand extends CommandRunner {
  constructor(private readonly orm: MikroORM) {
    super();
  }

  async run(args: string[], options: { check?: boolean; updateSnapshot?: boolean }): Promise<void> {
    const migrator = this.orm.getMigrator();
    if (options.updateSnapshot) {
      // After merging branches that each added a migration: rewrite the snapshot from the
      // entities (the migrations themselves are checked against a real database by the tests).
      await (migrator as unknown as { storeCurrentSchema(): Promise<void> }).storeCurrentSchema();
      console.log('Snapshot rewritten from the entities.');
      return;
    }
    if (options.check) {
      const needed = await migrator.checkMigrationNeeded();
      if (needed) {
        console.error(
          'Entities have changes that no migration covers: run `npm run manage -- makemigrations`.',
        );
        process.exitCode = 1;
      } else console.log('No changes detected.');
      return;
    }
    const result = await migrator.createMigration(undefined, false, false, args[0]);
    if (!result.fileName) {
      console.log('No changes detected.');
      return;
    }
    console.log(`Wrote ${result.fileName}:`);
    for (const sql of result.diff.up) console.log(`  ${sql}`);
  }

  @Option({
    flags: '--update-snapshot',
    description: 'Rewrite the snapshot from the entities (after a merge)',
  })
  parseUpdateSnapshot(): boolean {
    return true;
  }

  @Option({ flags: '--check', description: 'Exit 1 if entities changed without a migration (CI)' })
  parseCheck(): boolean {
    return true;
  }
}
