import type { Faker } from '@faker-js/faker';
import { Utils, type EntityName } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Command, CommandRunner, Option } from 'nest-commander';
import { SeederRegistry, type SeedContext } from '#porch/core';
import { say } from '../output.js';
import { progress } from '../progress.js';
import { parseNonNegativeInt } from './options.js';

interface SeedOptions {
  number?: number;
  seed?: number;
}

const FAKER_MISSING =
  'seed needs @faker-js/faker, a devDependency, which production installs (the Docker image) ' +
  'leave out: run it from a checkout with `npm install`, against the same DATABASE_URL.';

/** Throws the explanation when faker is not installed (checked before any database is reached). */
export function assertFakerInstalled(): void {
  try {
    import.meta.resolve('@faker-js/faker');
  } catch {
    throw new Error(FAKER_MISSING);
  }
}

/** Faker is a devDependency: loaded here, on demand, so production images need not ship it. */
async function loadFaker(seed: number | undefined): Promise<Faker> {
  let mod: typeof import('@faker-js/faker');
  try {
    mod = await import('@faker-js/faker');
  } catch {
    throw new Error(FAKER_MISSING);
  }
  const faker = new mod.Faker({ locale: [mod.en_CA, mod.en, mod.base] });
  if (seed !== undefined) faker.seed(seed);
  return faker;
}

@Command({
  name: 'seed',
  arguments: '[modules...]',
  description: 'Fill the database with realistic fake data (all modules, or the ones named)',
})
export class SeedCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly registry: SeederRegistry,
  ) {
    super();
  }

  async run(modules: string[], options: SeedOptions): Promise<void> {
    const seeders = this.registry.select(modules);
    const number = options.number ?? 10;
    const faker = await loadFaker(options.seed);
    const seeded = new Map<string, string[]>();
    for (const seeder of seeders) {
      const counts = new Map<string, number>();
      const context: SeedContext = {
        em: this.orm.em.fork(),
        number,
        faker,
        progress,
        record: (entity: EntityName<object>, ids: string[]) => {
          const name = Utils.className(entity);
          seeded.set(name, [...(seeded.get(name) ?? []), ...ids]);
          counts.set(name, (counts.get(name) ?? 0) + ids.length);
        },
        ids: async (entity: EntityName<object>, limit = 10_000) => {
          const name = Utils.className(entity);
          return seeded.get(name)?.length ? seeded.get(name)! : this.existingIds(name, limit);
        },
        log: (message) => say(`${seeder.module}: ${message}`),
      };
      await context.em.transactional((em) => seeder.seed({ ...context, em }));
      const summary = [...counts].map(([entity, n]) => `${n} ${entity}`).join(', ');
      say(`${seeder.module}: seeded ${summary || 'nothing'}`);
    }
  }

  /** Ids of visible rows (through the ORM, so soft-deleted ones stay hidden). */
  private async existingIds(entity: string, limit: number): Promise<string[]> {
    const pk = this.orm.getMetadata().find(entity)?.primaryKeys[0];
    if (!pk) throw new Error(`seed: unknown entity ${entity}`);
    const rows = await this.orm.em.fork().find<Record<string, unknown>>(
      entity,
      {},
      // `fields` is typed for a known entity class; this one is known by name only.
      { fields: [pk] as never[], limit, orderBy: { [pk]: 'asc' } },
    );
    return rows.map((r) => String(r[pk]));
  }

  @Option({ flags: '-n, --number <n>', description: 'How many of each top-level entity (10)' })
  parseNumber(value: string): number {
    return parseNonNegativeInt(value, '--number');
  }

  @Option({ flags: '--seed <int>', description: 'Seed faker, for repeatable data' })
  parseSeed(value: string): number {
    return parseNonNegativeInt(value, '--seed');
  }
}
