import type { Faker } from '@faker-js/faker';
import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { contributionDecorator, type Contribution } from './demo-data.js';

/** A counter for one long step; `manage seed` shows it as a bar on a terminal, as lines otherwise. */
export interface Progress {
  increment(by?: number): void;
  stop(): void;
}

/** What `manage seed` hands each seeder. */
export interface SeedContext {
  /** A fork of its own, inside a transaction: a failing seeder leaves nothing behind. */
  em: EntityManager;
  /** How many of each top-level entity to make (`--number`). */
  number: number;
  /**
   * Faker (en_CA, then en), seeded when `--seed <int>` is given. Only seeders use it: it is a
   * devDependency, loaded by `manage seed` alone, so a seeder imports its *type* only.
   */
  faker: Faker;
  progress(label: string, total: number): Progress;
  /** Records ids a seeder inserted (for the summary, and for later seeders' `ids()`). */
  record(entity: EntityName<object>, ids: string[]): void;
  /**
   * Ids of an entity seeded earlier in this run, or, when none were (`seed parties` alone), up
   * to `limit` existing visible rows from the database.
   */
  ids(entity: EntityName<object>, limit?: number): Promise<string[]>;
  log(message: string): void;
}

/**
 * One module's contribution to `manage seed`: realistic fake rows, respecting every constraint.
 *
 * To add one (say for parties): write `libs/parties/src/parties.seeder.ts`
 * ```ts
 * // order: after accounts (10), which it needs
 * @PorchSeeder({ module: 'parties', order: 30 })
 * export class PartiesSeeder extends Seeder {
 *   async seed({ em, number, faker, ids, record, progress }: SeedContext) {
 *     const hosts = await ids(User);
 *     // build `number` parties with faker, insert in batches, bar.increment(batch.length)
 *     record(Party, inserted);
 *   }
 * }
 * ```
 * and list it in `PartiesModule`'s providers. `manage seed` finds every provider decorated with
 * `@PorchSeeder({ … })`, so nothing else changes. Orders in use: accounts 10, health-regions 20,
 * parties 30, invites 40, tasks 50.
 */
export abstract class Seeder implements Contribution {
  /** The name `manage seed <module…>` selects it by (from `@PorchSeeder`). */
  declare readonly module: string;
  /** Lower runs first; seeders run after the ones whose rows they reference. */
  declare readonly order: number;
  abstract seed(context: SeedContext): Promise<void>;
}

/** Makes a class an injectable `Seeder` of the named module, for `manage seed` to discover. */
export const PorchSeeder = contributionDecorator();

/** A uuid v7 dated `at`, with faker's randomness (repeatable with `--seed`). */
export function seededUuid(faker: Faker, at: Date): string {
  const random = Uint8Array.from({ length: 16 }, () => faker.number.int(255));
  return uuidv7({ msecs: at.getTime(), random });
}
