import { IsolationLevel, MikroORM } from '@mikro-orm/core';
import { normalizeFsa } from '#porch/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { FsaLookupResponseDto } from './dto/fsa-lookup-response.dto.js';
import { FsaHealthRegion } from './fsa-health-region.entity.js';
import { HEALTH_REGIONS_DATASET } from './health-regions.dataset.js';
import { HealthRegionsSnapshot, type HealthRegionsTables } from './health-regions.snapshot.js';
import { HealthRegion } from './health-region.entity.js';
import { Province } from './province.entity.js';
import { ReferenceDataVersion } from './reference-data-version.entity.js';

/** How often each instance asks whether the data changed: one primary-key read of one row. */
export const CATALOG_POLL_INTERVAL_MS = 60_000;

/**
 * The health-region tables held in memory, so that lookups (the mobile app's hottest reads) cost
 * no database round trip. The copy is read from the database, not the CSVs, so every instance
 * (and replica) serves what the database holds; each instance polls the checksum in
 * `reference_data_version` and re-reads the tables when it changes (a load by any instance or by
 * `manage`). Polling a one-row table every minute is cheaper and sturdier than keeping a
 * LISTEN connection per instance; data that changes a few times a year can be a minute late.
 */
@Injectable()
export class HealthRegionsCatalog implements OnModuleDestroy {
  private readonly logger = new Logger('HealthRegionsCatalog');
  private current = HealthRegionsSnapshot.empty();
  private read = false;
  private refreshing?: Promise<boolean>;
  private timer?: NodeJS.Timeout;

  constructor(private readonly orm: MikroORM) {}

  /** The current copy: immutable, replaced whole on refresh. */
  get snapshot(): HealthRegionsSnapshot {
    return this.current;
  }

  /**
   * The health regions of a postal code or FSA (any case and spacing), or null when the code is
   * malformed or its FSA is not in the data. For other modules, e.g. parties showing the regions
   * of an address; the result is frozen.
   */
  resolve(postalCodeOrFsa: string): FsaLookupResponseDto | null {
    const fsa = normalizeFsa(postalCodeOrFsa);
    return (fsa && this.current.fsa(fsa)?.response) || null;
  }

  /**
   * Re-reads the tables if their checksum differs from the copy's (always with `force`).
   * Resolves true when the copy was replaced. Calls never overlap.
   */
  async refresh(options: { force?: boolean } = {}): Promise<boolean> {
    while (this.refreshing) await this.refreshing.catch(() => undefined);
    this.refreshing = this.readIfChanged(options.force ?? false);
    try {
      return await this.refreshing;
    } finally {
      this.refreshing = undefined;
    }
  }

  /** Polls for changes every `intervalMs` (unref'd: never keeps the process alive). */
  startPolling(intervalMs = CATALOG_POLL_INTERVAL_MS): void {
    this.stopPolling();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn(`could not refresh the health-region catalog: ${String(error)}`),
      );
    }, intervalMs).unref();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopPolling();
    await this.refreshing?.catch(() => undefined);
  }

  private async readIfChanged(force: boolean): Promise<boolean> {
    const em = this.orm.em.fork() as EntityManager;
    if (!force && this.read) {
      const version = await em.findOne(ReferenceDataVersion, { name: HEALTH_REGIONS_DATASET });
      if ((version?.checksum ?? null) === this.current.checksum) return false;
    }
    // One repeatable-read transaction: the checksum and the rows come from the same state. Plain
    // rows (property names, no entities): hydrating ~2,000 entities took ten times as long.
    const tables = await em.transactional(
      async (tx): Promise<HealthRegionsTables> => ({
        checksum:
          (await tx.findOne(ReferenceDataVersion, { name: HEALTH_REGIONS_DATASET }))?.checksum ??
          null,
        provinces: await tx.createQueryBuilder(Province).select('*').execute('all', true),
        regions: await tx.createQueryBuilder(HealthRegion).select('*').execute('all', true),
        fsas: await tx.createQueryBuilder(FsaHealthRegion).select('*').execute('all', true),
      }),
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
    const next = new HealthRegionsSnapshot(tables);
    this.current = next;
    this.read = true;
    this.logger.log(
      `health-region catalog at ${next.checksum?.slice(0, 12) ?? 'no data'}: ` +
        `${next.provinces.length} provinces, ${next.regions.length} regions, ${next.fsaCount} FSAs`,
    );
    return true;
  }
}
