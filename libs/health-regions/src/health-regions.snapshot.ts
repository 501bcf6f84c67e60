import { toFsaLookupResponse, type FsaLookupResponseDto } from './dto/fsa-lookup-response.dto.js';
import {
  toHealthRegionResponse,
  type HealthRegionFsaResponseDto,
  type HealthRegionResponseDto,
} from './dto/health-region-response.dto.js';
import {
  toProvinceResponse,
  toProvinceSummary,
  type ProvinceResponseDto,
  type ProvinceSummaryDto,
} from './dto/province-response.dto.js';
import type {
  FsaHealthRegionRecord,
  HealthRegionRecord,
  ProvinceFields,
} from './health-regions.records.js';
import { CachedJson } from '#porch/core';
import { foldSearchText } from './search-text.js';

/** The three tables, read in one transaction, and the checksum of the data set they hold. */
export interface HealthRegionsTables {
  checksum: string | null;
  provinces: readonly ProvinceFields[];
  regions: readonly HealthRegionRecord[];
  fsas: readonly FsaHealthRegionRecord[];
}

export interface ProvinceEntry {
  readonly response: ProvinceResponseDto;
  readonly cached: CachedJson<ProvinceResponseDto>;
  /** Its regions, by `hrUid`. */
  readonly regions: readonly RegionEntry[];
}

export interface RegionEntry {
  readonly response: HealthRegionResponseDto;
  readonly cached: CachedJson<HealthRegionResponseDto>;
  /** English and French names, official and short, folded for search. */
  readonly searchText: string;
  /** Its FSAs with this region's share of each, by FSA. */
  readonly fsas: readonly HealthRegionFsaResponseDto[];
}

export interface FsaEntry {
  readonly response: FsaLookupResponseDto;
  readonly cached: CachedJson<FsaLookupResponseDto>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * One immutable copy of the three tables with everything a request needs worked out in advance:
 * indexes by code, folded search text, response objects, and their JSON and ETags. Replaced
 * whole when the data changes, so a request never sees half of an update.
 */
export class HealthRegionsSnapshot {
  /** Checksum of the data set it was read at (null: nothing loaded yet). */
  readonly checksum: string | null;
  /** By `geoCode`. */
  readonly provinces: readonly ProvinceEntry[];
  /** By `hrUid`. */
  readonly regions: readonly RegionEntry[];
  readonly fsaRowCount: number;
  private readonly provinceByCode = new Map<string, ProvinceEntry>();
  private readonly regionByUid = new Map<number, RegionEntry>();
  private readonly fsaByCode = new Map<string, FsaEntry>();

  static empty(): HealthRegionsSnapshot {
    return new HealthRegionsSnapshot({ checksum: null, provinces: [], regions: [], fsas: [] });
  }

  constructor(tables: HealthRegionsTables) {
    this.checksum = tables.checksum;
    this.fsaRowCount = tables.fsas.length;
    const summaries = new Map<number, ProvinceSummaryDto>(
      tables.provinces.map((p) => [p.geoCode, deepFreeze(toProvinceSummary(p))]),
    );
    const regionsByUid = new Map(tables.regions.map((r) => [r.hrUid, r]));

    const fsaEntries = [...groupBy(tables.fsas, (row) => row.fsa)]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([fsa, rows]) => {
        const response = deepFreeze(
          toFsaLookupResponse(
            fsa,
            summaries.get(rows[0]!.province)!,
            rows.map((row) => ({
              region: regionsByUid.get(row.healthRegion)!,
              estimatedPopulation: row.estimatedPopulation,
            })),
          ),
        );
        const entry: FsaEntry = { response, cached: CachedJson.of(response) };
        this.fsaByCode.set(fsa, entry);
        return entry;
      });

    // A region's FSAs, with the share of each FSA's people that live in this region.
    const regionFsas = new Map<number, HealthRegionFsaResponseDto[]>();
    for (const { response } of fsaEntries) {
      for (const part of response.healthRegions) {
        const list = regionFsas.get(part.hrUid) ?? [];
        list.push({
          fsa: response.fsa,
          estimatedPopulation: part.estimatedPopulation,
          share: part.share,
        });
        regionFsas.set(part.hrUid, list);
      }
    }

    this.regions = [...tables.regions]
      .sort((a, b) => a.hrUid - b.hrUid)
      .map((region) => {
        const fsas = deepFreeze(regionFsas.get(region.hrUid) ?? []);
        const response = deepFreeze(
          toHealthRegionResponse(region, summaries.get(region.province)!, fsas.length),
        );
        const entry: RegionEntry = {
          response,
          cached: CachedJson.of(response),
          searchText: foldSearchText(
            [region.nameEn, region.nameFr, region.shortNameEn, region.shortNameFr].join(' '),
          ),
          fsas,
        };
        this.regionByUid.set(region.hrUid, entry);
        return entry;
      });

    const regionsByProvince = groupBy(this.regions, (r) => r.response.province.geoCode);
    this.provinces = [...tables.provinces]
      .sort((a, b) => a.geoCode - b.geoCode)
      .map((province) => {
        const own = regionsByProvince.get(province.geoCode) ?? [];
        const response = deepFreeze(toProvinceResponse(province, own.length));
        const entry: ProvinceEntry = { response, cached: CachedJson.of(response), regions: own };
        this.provinceByCode.set(province.alphaCode, entry);
        this.provinceByCode.set(String(province.geoCode), entry);
        return entry;
      });
  }

  /** By postal abbreviation (upper case, `ON`) or SGC code (`35`). */
  province(code: string): ProvinceEntry | undefined {
    return this.provinceByCode.get(code);
  }

  region(hrUid: number): RegionEntry | undefined {
    return this.regionByUid.get(hrUid);
  }

  /** By normalized FSA (`M5V`). */
  fsa(fsa: string): FsaEntry | undefined {
    return this.fsaByCode.get(fsa);
  }

  get fsaCount(): number {
    return this.fsaByCode.size;
  }
}
