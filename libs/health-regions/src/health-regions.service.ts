import { Injectable } from '@nestjs/common';
import {
  type CachedJson,
  normalizeFsa,
  NotFoundProblem,
  type PageOf,
  type PageQueryDto,
  ValidationProblem,
} from '#porch/core';
import type { FsaLookupResponseDto } from './dto/fsa-lookup-response.dto.js';
import type {
  HealthRegionFsaResponseDto,
  HealthRegionResponseDto,
} from './dto/health-region-response.dto.js';
import {
  PROVINCE_CODE_MESSAGE,
  PROVINCE_CODE_PATTERN,
  type HealthRegionsQueryDto,
  type ProvincesQueryDto,
} from './dto/health-regions-query.dto.js';
import type { ProvinceResponseDto } from './dto/province-response.dto.js';
import { HealthRegionsCatalog } from './health-regions.catalog.js';
import {
  compareNullableNumbers,
  orderRows,
  textComparator,
  type Compare,
} from './in-memory-ordering.js';
import { matchesSearch, searchTerms } from './search-text.js';

const en = textComparator('en');
const fr = textComparator('fr');
const byHrUid: Compare<HealthRegionResponseDto> = (a, b) => a.hrUid - b.hrUid;
const REGION_ORDER: Record<string, Compare<HealthRegionResponseDto>> = {
  hrUid: byHrUid,
  nameEn: (a, b) => en(a.nameEn, b.nameEn),
  nameFr: (a, b) => fr(a.nameFr, b.nameFr),
  population: (a, b) => compareNullableNumbers(a.population, b.population),
};
const byGeoCode: Compare<ProvinceResponseDto> = (a, b) => a.geoCode - b.geoCode;
const PROVINCE_ORDER: Record<string, Compare<ProvinceResponseDto>> = {
  geoCode: byGeoCode,
  alphaCode: (a, b) => (a.alphaCode < b.alphaCode ? -1 : a.alphaCode > b.alphaCode ? 1 : 0),
  nameEn: (a, b) => en(a.nameEn, b.nameEn),
  nameFr: (a, b) => fr(a.nameFr, b.nameFr),
};

function slice<T>(rows: readonly T[], query: PageQueryDto): PageOf<T> {
  return { count: rows.length, results: rows.slice(query.offset, query.offset + query.limit) };
}

function parseHrUid(raw: string): number {
  if (!/^\d{1,9}$/.test(raw))
    throw new ValidationProblem([{ field: 'hrUid', message: 'hrUid must be a positive integer' }]);
  return Number(raw);
}

function parseProvinceCode(raw: string): string {
  if (!PROVINCE_CODE_PATTERN.test(raw))
    throw new ValidationProblem([{ field: 'code', message: `code ${PROVINCE_CODE_MESSAGE}` }]);
  return raw.toUpperCase();
}

/**
 * The health-region endpoints' rules, answered from the in-memory catalog: no database round
 * trip per request. Single resources come back as precomputed `CachedJson` (body + ETag).
 */
@Injectable()
export class HealthRegionsService {
  constructor(private readonly catalog: HealthRegionsCatalog) {}

  /** Regions, optionally of one province and matching a search, in the requested order. */
  listHealthRegions(query: HealthRegionsQueryDto): PageOf<HealthRegionResponseDto> {
    const snapshot = this.catalog.snapshot;
    let regions = query.province
      ? (snapshot.province(query.province.toUpperCase())?.regions ?? [])
      : snapshot.regions;
    const terms = searchTerms(query.search);
    if (terms.length) regions = regions.filter((r) => matchesSearch(r.searchText, terms));
    const rows = regions.map((r) => r.response);
    return slice(orderRows(rows, query.ordering, REGION_ORDER, byHrUid), query);
  }

  getHealthRegion(hrUid: string): CachedJson<HealthRegionResponseDto> {
    const region = this.catalog.snapshot.region(parseHrUid(hrUid));
    if (!region) throw new NotFoundProblem(`No health region ${hrUid}`);
    return region.cached;
  }

  /** A region's FSAs (by FSA), with the share of each FSA's people living in the region. */
  listHealthRegionFsas(hrUid: string, query: PageQueryDto): PageOf<HealthRegionFsaResponseDto> {
    const region = this.catalog.snapshot.region(parseHrUid(hrUid));
    if (!region) throw new NotFoundProblem(`No health region ${hrUid}`);
    return slice(region.fsas, query);
  }

  /** The regions of a postal code or FSA: 400 when malformed, 404 when not in the data. */
  lookupFsa(code: string): CachedJson<FsaLookupResponseDto> {
    const fsa = normalizeFsa(code);
    if (!fsa)
      throw new ValidationProblem([
        { field: 'code', message: 'code must be an FSA (A1A) or a postal code (A1A 1A1)' },
      ]);
    const entry = this.catalog.snapshot.fsa(fsa);
    if (!entry) throw new NotFoundProblem(`No health region data for FSA ${fsa}`);
    return entry.cached;
  }

  listProvinces(query: ProvincesQueryDto): PageOf<ProvinceResponseDto> {
    const rows = this.catalog.snapshot.provinces.map((p) => p.response);
    return slice(orderRows(rows, query.ordering, PROVINCE_ORDER, byGeoCode), query);
  }

  /** A province by abbreviation (any case) or SGC code. */
  getProvince(code: string): CachedJson<ProvinceResponseDto> {
    const province = this.catalog.snapshot.province(parseProvinceCode(code));
    if (!province) throw new NotFoundProblem(`No province ${code}`);
    return province.cached;
  }
}
