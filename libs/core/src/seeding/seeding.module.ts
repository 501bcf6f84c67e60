import { Global, Injectable, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { DemoDataLoader, discover } from './demo-data.js';
import { PorchSeeder, Seeder } from './seeder.js';

/** Every `@PorchSeeder()` provider of the application, in run order. */
@Injectable()
export class SeederRegistry {
  constructor(private readonly discovery: DiscoveryService) {}

  all(): Seeder[] {
    return discover(this.discovery, PorchSeeder.KEY, Seeder);
  }

  /** The seeders of the named modules (all when none are named), in run order. */
  select(modules: string[]): Seeder[] {
    const all = this.all();
    if (!modules.length) return all;
    const known = new Set(all.map((s) => s.module));
    const unknown = modules.filter((m) => !known.has(m));
    if (unknown.length) {
      throw new Error(
        `Unknown module(s): ${unknown.join(', ')}. Modules with seeders: ${[...known].join(', ') || 'none'}.`,
      );
    }
    return all.filter((s) => modules.includes(s.module));
  }
}

/** Finds the seeders and demo-data contributions every domain module provides. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [SeederRegistry, DemoDataLoader],
  exports: [SeederRegistry, DemoDataLoader],
})
export class SeedingModule {}
