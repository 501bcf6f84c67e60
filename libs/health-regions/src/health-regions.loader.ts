import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import {
  checksumHealthRegionsFiles,
  HEALTH_REGIONS_DATA_DIR,
  HEALTH_REGIONS_DATASET,
  parseHealthRegionsFiles,
  readHealthRegionsFiles,
  type HealthRegionsDataset,
} from './health-regions.dataset.js';

/** How one table was brought to the files. */
export interface TableChanges {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface HealthRegionsLoadResult {
  /**
   * `loaded`: the tables now hold the files; `unchanged`: they already did (nothing written);
   * `not-migrated`: migrations are pending (e.g. `manage migrate` itself, which starts before it
   * migrates): loading into an old schema could fail and block the very migration that fixes it.
   */
  status: 'loaded' | 'unchanged' | 'not-migrated';
  checksum: string;
  changes?: Record<'provinces' | 'healthRegions' | 'fsaHealthRegions', TableChanges>;
}

export interface HealthRegionsLoadOptions {
  /** Folder with the three CSVs (default: the shipped `libs/health-regions/data`). */
  dataDir?: string;
  /** Compare row by row even when the checksum says nothing changed (repairs hand edits). */
  force?: boolean;
}

/** A table the loader mirrors: its key and its data columns with their SQL types. */
interface TableSpec {
  table: string;
  key: readonly string[];
  columns: Readonly<Record<string, string>>;
}

const PROVINCE: TableSpec = {
  table: 'province',
  key: ['geo_code'],
  columns: {
    geo_code: 'int',
    alpha_code: 'char(2)',
    name_en: 'varchar(100)',
    name_fr: 'varchar(100)',
    region_en: 'varchar(100)',
    region_fr: 'varchar(100)',
  },
};
const HEALTH_REGION: TableSpec = {
  table: 'health_region',
  key: ['hr_uid'],
  columns: {
    hr_uid: 'int',
    province_geo_code: 'int',
    name_en: 'varchar(255)',
    name_fr: 'varchar(255)',
    short_name_en: 'varchar(255)',
    short_name_fr: 'varchar(255)',
    population: 'int',
    website_en: 'varchar(255)',
    website_fr: 'varchar(255)',
  },
};
const FSA_HEALTH_REGION: TableSpec = {
  table: 'fsa_health_region',
  key: ['fsa', 'hr_uid'],
  columns: {
    fsa: 'char(3)',
    hr_uid: 'int',
    province_geo_code: 'int',
    estimated_population: 'int',
  },
};
const TABLES = [PROVINCE, HEALTH_REGION, FSA_HEALTH_REGION]
  .map((t) => t.table)
  .concat('reference_data_version');

const q = (name: string) => `"${name}"`;
/** The rows, sent as one JSON parameter and unpacked by PostgreSQL: one statement per table. */
const recordset = (spec: TableSpec, columns: readonly string[]) =>
  `jsonb_to_recordset(?::jsonb) as x(${columns.map((c) => `${q(c)} ${spec.columns[c]}`).join(', ')})`;

/**
 * Inserts new rows and updates changed ones. Unchanged rows are not written at all (the `where`
 * on the conflict branch), so their `updated_at` keeps meaning "last changed by the data".
 */
function upsertSql(spec: TableSpec): string {
  const all = Object.keys(spec.columns);
  const rest = all.filter((c) => !spec.key.includes(c));
  return (
    `insert into ${q(spec.table)} as t (${all.map(q).join(', ')}) ` +
    `select ${all.map((c) => `x.${q(c)}`).join(', ')} from ${recordset(spec, all)} ` +
    `on conflict (${spec.key.map(q).join(', ')}) do update set ` +
    `${rest.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}, "updated_at" = now() ` +
    `where (${rest.map((c) => `t.${q(c)}`).join(', ')}) is distinct from ` +
    `(${rest.map((c) => `excluded.${q(c)}`).join(', ')}) ` +
    `returning (xmax = 0) as inserted`
  );
}

function deleteMissingSql(spec: TableSpec): string {
  return (
    `delete from ${q(spec.table)} as t where not exists (select 1 from ${recordset(spec, spec.key)} ` +
    `where ${spec.key.map((c) => `x.${q(c)} = t.${q(c)}`).join(' and ')}) returning 1`
  );
}

/**
 * Brings the health-region tables to exactly the shipped CSVs. Runs at start (the module calls
 * it after core's migrations) and from the manage CLI. Cheap when nothing changed: one hash of
 * ~50 kB and one tiny query. Otherwise one transaction, under an advisory lock so that several
 * instances starting together load once: upsert what the files hold, delete what they don't,
 * record the checksum.
 */
@Injectable()
export class HealthRegionsLoader {
  private readonly logger = new Logger('HealthRegionsLoader');

  constructor(private readonly orm: MikroORM) {}

  async load(options: HealthRegionsLoadOptions = {}): Promise<HealthRegionsLoadResult> {
    const files = await readHealthRegionsFiles(options.dataDir ?? HEALTH_REGIONS_DATA_DIR);
    const checksum = checksumHealthRegionsFiles(files);
    const em = this.orm.em.fork() as EntityManager;
    if (!(await this.migrated(em))) {
      this.logger.warn('migrations are pending: health regions not loaded (the next start will)');
      return { status: 'not-migrated', checksum };
    }
    if (!options.force && (await this.loadedChecksum(em)) === checksum)
      return { status: 'unchanged', checksum };
    // Parse (and validate) before taking the lock: a bad file fails without touching anything.
    const data = parseHealthRegionsFiles(files);
    return em.transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [
        `porch:reference-data:${HEALTH_REGIONS_DATASET}`,
      ]);
      // Another instance may have loaded these very files while we waited for the lock.
      if (!options.force && (await this.loadedChecksum(tx)) === checksum)
        return { status: 'unchanged' as const, checksum };
      const changes = await this.apply(tx, data);
      await tx.execute(
        'insert into "reference_data_version" ("name", "checksum", "loaded_at") values (?, ?, now()) ' +
          'on conflict ("name") do update set "checksum" = excluded."checksum", "loaded_at" = excluded."loaded_at"',
        [HEALTH_REGIONS_DATASET, checksum],
      );
      this.logger.log(
        `health regions loaded (${checksum.slice(0, 12)}): ` +
          Object.entries(changes)
            .map(([t, c]) => `${t} +${c.inserted} ~${c.updated} -${c.deleted}`)
            .join(', '),
      );
      return { status: 'loaded' as const, checksum, changes };
    });
  }

  private async apply(
    tx: EntityManager,
    data: HealthRegionsDataset,
  ): Promise<NonNullable<HealthRegionsLoadResult['changes']>> {
    const provinces = data.provinces.map((p) => ({
      geo_code: p.geoCode,
      alpha_code: p.alphaCode,
      name_en: p.nameEn,
      name_fr: p.nameFr,
      region_en: p.regionEn,
      region_fr: p.regionFr,
    }));
    const regions = data.healthRegions.map((r) => ({
      hr_uid: r.hrUid,
      province_geo_code: r.provinceGeoCode,
      name_en: r.nameEn,
      name_fr: r.nameFr,
      short_name_en: r.shortNameEn,
      short_name_fr: r.shortNameFr,
      population: r.population,
      website_en: r.websiteEn,
      website_fr: r.websiteFr,
    }));
    const fsas = data.fsaHealthRegions.map((f) => ({
      fsa: f.fsa,
      hr_uid: f.hrUid,
      province_geo_code: f.provinceGeoCode,
      estimated_population: f.estimatedPopulation,
    }));
    // Parents before children when upserting, children before parents when deleting.
    const p = await this.upsert(tx, PROVINCE, provinces);
    const r = await this.upsert(tx, HEALTH_REGION, regions);
    const f = await this.upsert(tx, FSA_HEALTH_REGION, fsas);
    f.deleted = await this.deleteMissing(tx, FSA_HEALTH_REGION, fsas);
    r.deleted = await this.deleteMissing(tx, HEALTH_REGION, regions);
    p.deleted = await this.deleteMissing(tx, PROVINCE, provinces);
    return { provinces: p, healthRegions: r, fsaHealthRegions: f };
  }

  private async upsert(tx: EntityManager, spec: TableSpec, rows: object[]): Promise<TableChanges> {
    const written = await tx.execute<Array<{ inserted: boolean }>>(upsertSql(spec), [
      JSON.stringify(rows),
    ]);
    const inserted = written.filter((w) => w.inserted).length;
    return { inserted, updated: written.length - inserted, deleted: 0 };
  }

  private async deleteMissing(tx: EntityManager, spec: TableSpec, rows: object[]): Promise<number> {
    const deleted = await tx.execute<unknown[]>(deleteMissingSql(spec), [JSON.stringify(rows)]);
    return deleted.length;
  }

  private async migrated(em: EntityManager): Promise<boolean> {
    if ((await this.orm.getMigrator().getPendingMigrations()).length) return false;
    const [row] = await em.execute<Array<{ missing: number }>>(
      `select count(*)::int as missing from unnest(?::text[]) as t(name) where to_regclass(t.name) is null`,
      [`{${TABLES.join(',')}}`],
    );
    return row!.missing === 0;
  }

  private async loadedChecksum(em: EntityManager): Promise<string | null> {
    const [row] = await em.execute<Array<{ checksum: string }>>(
      'select "checksum" from "reference_data_version" where "name" = ?',
      [HEALTH_REGIONS_DATASET],
    );
    return row?.checksum ?? null;
  }
}
