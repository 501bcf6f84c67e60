import { Injectable } from '@nestjs/common';
import { type CachedJson, NotFoundProblem, type PageOf, type PageQueryDto } from '#porch/core';
import type { FsaLookupResponseDto } from './dto/fsa-lookup-response.dto.js';
import type {
  HealthRegionFsaResponseDto,
  HealthRegionResponseDto,
} from './dto/health-region-response.dto.js';
import type { HealthRegionsQueryDto, ProvincesQueryDto } from './dto/health-regions-query.dto.js';
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

/**
 * The health-region endpoints' rules, answered from the in-memory catalog: no database round
 * trip per request. Single resources come back as precomputed `CachedJson` (body + ETag).
 * Parameters arrive validated and normalized (the DTOs and `health-regions.pipes.ts`).
 */
@Injectable()
export class HealthRegionsService {
  constructor(private readonly catalog: HealthRegionsCatalog) {}

  /** The data's version: the catalog's snapshot, replaced whole when the data changes. */
  get version(): object {
    return this.catalog.snapshot;
  }

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

  getHealthRegion(hrUid: number): CachedJson<HealthRegionResponseDto> {
    const region = this.catalog.snapshot.region(hrUid);
    if (!region) throw new NotFoundProblem(`No health region ${hrUid}`);
    return region.cached;
  }

  /** A region's FSAs (by FSA), with the share of each FSA's people living in the region. */
  listHealthRegionFsas(hrUid: number, query: PageQueryDto): PageOf<HealthRegionFsaResponseDto> {
    const region = this.catalog.snapshot.region(hrUid);
    if (!region) throw new NotFoundProblem(`No health region ${hrUid}`);
    return slice(region.fsas, query);
  }

  /** The regions of an FSA (normalized: `ParseFsaPipe`): 404 when not in the data. */
  lookupFsa(fsa: string): CachedJson<FsaLookupResponseDto> {
    const entry = this.catalog.snapshot.fsa(fsa);
    if (!entry) throw new NotFoundProblem(`No health region data for FSA ${fsa}`);
    return entry.cached;
  }

  listProvinces(query: ProvincesQueryDto): PageOf<ProvinceResponseDto> {
    const rows = this.catalog.snapshot.provinces.map((p) => p.response);
    return slice(orderRows(rows, query.ordering, PROVINCE_ORDER, byGeoCode), query);
  }

  /** A province by abbreviation (upper-cased) or SGC code. */
  getProvince(code: string): CachedJson<ProvinceResponseDto> {
    const province = this.catalog.snapshot.province(code);
    if (!province) throw new NotFoundProblem(`No province ${code}`);
    return province.cached;
  }
}
