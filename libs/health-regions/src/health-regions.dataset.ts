import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FSA_PATTERN, REPO_ROOT } from '#porch/core';

/**
 * Where the shipped CSVs live. Outside `src/` on purpose: `dist/` holds only compiled code, so
 * the built app and the sources both read them from the checkout (copy this folder into images).
 */
export const HEALTH_REGIONS_DATA_DIR = join(REPO_ROOT, 'libs/health-regions/data');

/** Name of this data set in `reference_data_version`. */
export const HEALTH_REGIONS_DATASET = 'health-regions';

const FILES = {
  provinces: {
    file: 'provinces.csv',
    columns: ['geo_code', 'alpha_code', 'name_en', 'name_fr', 'region_en', 'region_fr'],
  },
  healthRegions: {
    file: 'health_regions.csv',
    columns: [
      'hr_uid',
      'province_geo_code',
      'name_en',
      'name_fr',
      'short_name_en',
      'short_name_fr',
      'population',
      'website_en',
      'website_fr',
    ],
  },
  fsaHealthRegions: {
    file: 'fsa_health_regions.csv',
    columns: ['fsa', 'hr_uid', 'province_geo_code', 'estimated_population'],
  },
} as const;
type FileKey = keyof typeof FILES;

export interface ProvinceRow {
  geoCode: number;
  alphaCode: string;
  nameEn: string;
  nameFr: string;
  regionEn: string;
  regionFr: string;
}

export interface HealthRegionRow {
  hrUid: number;
  provinceGeoCode: number;
  nameEn: string;
  nameFr: string;
  shortNameEn: string;
  shortNameFr: string;
  population: number | null;
  websiteEn: string | null;
  websiteFr: string | null;
}

export interface FsaHealthRegionRow {
  fsa: string;
  hrUid: number;
  provinceGeoCode: number;
  estimatedPopulation: number | null;
}

export interface HealthRegionsDataset {
  /** Hex SHA-256 over the three files (names, sizes and bytes). */
  checksum: string;
  provinces: ProvinceRow[];
  healthRegions: HealthRegionRow[];
  fsaHealthRegions: FsaHealthRegionRow[];
}

export type HealthRegionsFiles = Record<FileKey, Buffer>;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

export async function readHealthRegionsFiles(
  dir = HEALTH_REGIONS_DATA_DIR,
): Promise<HealthRegionsFiles> {
  const entries = await Promise.all(
    (Object.keys(FILES) as FileKey[]).map(
      async (key) => [key, await readFile(join(dir, FILES[key].file))] as const,
    ),
  );
  return Object.fromEntries(entries) as HealthRegionsFiles;
}

/** Changes whenever any file's bytes change, so an edited CSV is noticed on the next start. */
export function checksumHealthRegionsFiles(files: HealthRegionsFiles): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(FILES) as FileKey[]) {
    hash.update(`${FILES[key].file}\n${files[key].length}\n`).update(files[key]);
  }
  return hash.digest('hex');
}

/** Reads a table: the header must name exactly the expected columns (any order). */
function readTable(key: FileKey, content: Buffer): Array<(column: string) => Cell> {
  const { file, columns } = FILES[key];
  let rows: string[][];
  try {
    rows = parse(content, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new DatasetError(`${file}: ${(e as Error).message}`);
  }
  const header = rows.shift() ?? [];
  const missing = columns.filter((c) => !header.includes(c));
  const extra = header.filter((c) => !(columns as readonly string[]).includes(c));
  if (missing.length || extra.length)
    throw new DatasetError(
      `${file}: header must be ${columns.join(',')} (missing: ${missing.join(',') || '-'}; unexpected: ${extra.join(',') || '-'})`,
    );
  const index = new Map(header.map((c, i) => [c, i]));
  return rows.map(
    (row, i) => (column: string) => new Cell(file, i + 2, column, row[index.get(column)!] ?? ''),
  );
}

/** One value of one CSV line, with what to say when it is wrong. */
class Cell {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string,
    readonly raw: string,
  ) {}

  fail(message: string): never {
    throw new DatasetError(
      `${this.file} line ${this.line}, ${this.column}: ${message} (got "${this.raw}")`,
    );
  }

  text(maxLength: number): string {
    const value = this.raw.trim();
    if (!value) this.fail('required');
    if (value.length > maxLength) this.fail(`longer than ${maxLength} characters`);
    return value;
  }

  optionalText(maxLength: number): string | null {
    return this.raw.trim() ? this.text(maxLength) : null;
  }

  int(): number {
    const value = this.raw.trim();
    if (!/^\d{1,9}$/.test(value)) this.fail('must be a non-negative integer');
    return Number(value);
  }

  optionalInt(): number | null {
    return this.raw.trim() ? this.int() : null;
  }

  matching(pattern: RegExp): string {
    const value = this.raw.trim();
    if (!pattern.test(value)) this.fail(`must match ${pattern}`);
    return value;
  }
}

function unique<T>(rows: T[], key: (row: T) => string | number, what: string): void {
  const seen = new Set<string | number>();
  for (const row of rows) {
    const k = key(row);
    if (seen.has(k)) throw new DatasetError(`duplicate ${what} ${k}`);
    seen.add(k);
  }
}

/**
 * Parses and checks the three files: every value well-formed, keys unique, every reference
 * resolvable, and each FSA row in its region's province. A bad file stops the load, naming the
 * line, rather than loading half a data set.
 */
export function parseHealthRegionsFiles(files: HealthRegionsFiles): HealthRegionsDataset {
  const provinces = readTable('provinces', files.provinces).map(
    (cell): ProvinceRow => ({
      geoCode: cell('geo_code').int(),
      alphaCode: cell('alpha_code').matching(/^[A-Z]{2}$/),
      nameEn: cell('name_en').text(100),
      nameFr: cell('name_fr').text(100),
      regionEn: cell('region_en').text(100),
      regionFr: cell('region_fr').text(100),
    }),
  );
  unique(provinces, (p) => p.geoCode, 'province geo_code');
  unique(provinces, (p) => p.alphaCode, 'province alpha_code');
  const provinceCodes = new Set(provinces.map((p) => p.geoCode));

  const regionProvince = new Map<number, number>();
  const healthRegions = readTable('healthRegions', files.healthRegions).map(
    (cell): HealthRegionRow => {
      const province = cell('province_geo_code');
      const row: HealthRegionRow = {
        hrUid: cell('hr_uid').int(),
        provinceGeoCode: province.int(),
        nameEn: cell('name_en').text(255),
        nameFr: cell('name_fr').text(255),
        shortNameEn: cell('short_name_en').text(255),
        shortNameFr: cell('short_name_fr').text(255),
        population: cell('population').optionalInt(),
        websiteEn: cell('website_en').optionalText(255),
        websiteFr: cell('website_fr').optionalText(255),
      };
      if (!provinceCodes.has(row.provinceGeoCode)) province.fail('no such province');
      regionProvince.set(row.hrUid, row.provinceGeoCode);
      return row;
    },
  );
  unique(healthRegions, (r) => r.hrUid, 'health region hr_uid');

  const fsaHealthRegions = readTable('fsaHealthRegions', files.fsaHealthRegions).map(
    (cell): FsaHealthRegionRow => {
      const region = cell('hr_uid');
      const province = cell('province_geo_code');
      const row: FsaHealthRegionRow = {
        fsa: cell('fsa').matching(FSA_PATTERN),
        hrUid: region.int(),
        provinceGeoCode: province.int(),
        estimatedPopulation: cell('estimated_population').optionalInt(),
      };
      const expected = regionProvince.get(row.hrUid);
      if (expected === undefined) region.fail('no such health region');
      if (expected !== row.provinceGeoCode)
        province.fail(`health region ${row.hrUid} is in province ${expected}`);
      return row;
    },
  );
  unique(fsaHealthRegions, (f) => `${f.fsa}/${f.hrUid}`, 'FSA/health region pair');

  return {
    checksum: checksumHealthRegionsFiles(files),
    provinces,
    healthRegions,
    fsaHealthRegions,
  };
}
