import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MikroORM } from '@mikro-orm/postgresql';
import { applyDecorators, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';

/** What `load-demo` (and the first start on an empty database) hands each contribution. */
export interface DemoContext {
  /** The shared transaction, holding the demo advisory lock. */
  em: EntityManager;
  /** One clock for the whole load: "past" and "upcoming" are relative to it. */
  now: Date;
  /**
   * Plain password of every demo account: `DEMO_PASSWORD` outside production, a fresh random
   * one in production (printed once by whoever runs the load).
   */
  password: string;
  /** Counts what a contribution inserted, for the summary ("User: 11"). */
  created(entity: string, count: number): void;
}

/**
 * One module's part of the demo data (the party app's test data). Must be idempotent by natural
 * keys: look the rows up (hosts by email, parties by host + flat…) and insert only what is
 * missing, never update, so a second run changes nothing.
 *
 * To add one (say for parties): write `libs/parties/src/parties.demo.ts`
 * ```ts
 * // order: after accounts (10), whose hosts it needs
 * @PorchDemoData({ module: 'parties', order: 30 })
 * export class PartiesDemoData extends DemoData {
 *   async load({ em, now, created }: DemoContext) {
 *     const host = await em.findOneOrFail(User, { email: demoHostEmail(1) });
 *     // insert PASTPARTY1 … unless (host, flat) exists; created('Party', n)
 *   }
 * }
 * ```
 * and list it in `PartiesModule`'s providers. Orders in use: accounts 10, parties 30,
 * invites 40, tasks 50.
 */
export abstract class DemoData implements Contribution {
  declare readonly module: string;
  declare readonly order: number;
  abstract load(context: DemoContext): Promise<void>;
}

/** Makes a class an injectable `DemoData` contribution of the named module. */
export const PorchDemoData = contributionDecorator();

/** The demo accounts' password outside production (documented, so the mobile team can log in). */
export const DEMO_PASSWORD = 'porch-demo-password';

/** Serialises demo loads (and first-run set-up) across processes and instances. */
export const DEMO_LOCK_KEY = 7263511;

export interface DemoSummary {
  /** Rows inserted per entity; empty when everything already existed. */
  created: Record<string, number>;
  password: string;
}

/** Runs every `@PorchDemoData()` contribution, in order, in one transaction. */
@Injectable()
export class DemoDataLoader {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  contributions(): DemoData[] {
    return discover(this.discovery, PorchDemoData.KEY, DemoData);
  }

  /** Loads the demo data in a transaction of its own. */
  load(): Promise<DemoSummary> {
    return this.orm.em.fork().transactional((em) => this.loadIn(em));
  }

  /** Loads inside the caller's transaction (the first-run set-up adds its superuser to it). */
  async loadIn(em: EntityManager): Promise<DemoSummary> {
    await em.execute('select pg_advisory_xact_lock(?)', [DEMO_LOCK_KEY]);
    const created: Record<string, number> = {};
    const context: DemoContext = {
      em,
      now: new Date(),
      password: this.config.isProduction ? randomBytes(12).toString('base64url') : DEMO_PASSWORD,
      created: (entity, count) => {
        if (count > 0) created[entity] = (created[entity] ?? 0) + count;
      },
    };
    for (const contribution of this.contributions()) {
      await contribution.load(context);
      await em.flush();
    }
    return { created, password: context.password };
  }
}

/** A module's part in `manage seed` or in the demo data, as its decorator declares it. */
export interface Contribution {
  /** The module's name (`manage seed <module…>` selects seeders by it). */
  readonly module: string;
  /** Lower runs first: a contribution runs after the ones whose rows it references. */
  readonly order: number;
}

/** A decorator like `@PorchSeeder({ module, order })`, and the key `discover` finds it by. */
export type ContributionDecorator = ((contribution: Contribution) => ClassDecorator) & {
  readonly KEY: string;
};

/**
 * A new kind of contribution's decorator: it makes the class an injectable provider that
 * `discover` finds, and gives its instances the declared `module` and `order`.
 */
export function contributionDecorator(): ContributionDecorator {
  const marker = DiscoveryService.createDecorator<void>();
  const decorator = ({ module, order }: Contribution): ClassDecorator => {
    const declare: ClassDecorator = (target) => {
      Object.defineProperties(target.prototype, {
        module: { value: module },
        order: { value: order },
      });
    };
    return applyDecorators(Injectable(), marker(), declare);
  };
  return Object.assign(decorator, { KEY: marker.KEY });
}

/** Instances of the providers carrying a discoverable decorator, ordered by `order` then name. */
export function discover<T extends Contribution>(
  discovery: DiscoveryService,
  key: string,
  base: abstract new (...args: never[]) => T,
): T[] {
  const found = new Set<T>();
  for (const wrapper of discovery.getProviders({ metadataKey: key })) {
    const instance: unknown = wrapper.instance;
    if (!(instance instanceof base)) {
      throw new Error(`${wrapper.name} is decorated as a ${base.name} but does not extend it`);
    }
    found.add(instance);
  }
  return [...found].sort((a, b) => a.order - b.order || compare(a.module, b.module));
}

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
