import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { PageQueryDto } from '#porch/core';
import { HealthRegionsQueryDto, ProvincesQueryDto } from '#porch/health-regions';
import { Paged } from '../paged.js';
import { Connection } from '../pagination.js';
import { HealthRegionNamesType, HealthRegionShareType } from '../parties/party.types.js';

@ObjectType('Province')
export class ProvinceType {
  @Field(() => Int, { description: 'Statistics Canada SGC code' })
  geoCode!: number;
  @Field(() => String, { description: 'Postal abbreviation' })
  alphaCode!: string;
  @Field(() => String)
  nameEn!: string;
  @Field(() => String)
  nameFr!: string;
  @Field(() => String, { nullable: true })
  regionEn?: string;
  @Field(() => String, { nullable: true })
  regionFr?: string;
  @Field(() => Int, { nullable: true, description: 'Health regions in it' })
  healthRegionCount?: number;
}
export const ProvinceConnection = Connection(ProvinceType, 'Province');

@ObjectType('HealthRegionFsa', { description: 'One FSA of a region, with its share' })
export class HealthRegionFsaType {
  @Field(() => String)
  fsa!: string;
  @Field(() => Int, { nullable: true })
  estimatedPopulation!: number | null;
  @Field(() => Float, { description: "Share of the FSA's population living in the region" })
  share!: number;
}
export const HealthRegionFsaConnection = Connection(HealthRegionFsaType, 'HealthRegionFsa');

@ObjectType('HealthRegion')
export class HealthRegionType extends HealthRegionNamesType {
  @Field(() => Int, { nullable: true })
  population!: number | null;
  @Field(() => String, { nullable: true })
  websiteEn!: string | null;
  @Field(() => String, { nullable: true })
  websiteFr!: string | null;
  @Field(() => Int)
  fsaCount!: number;
  province!: { alphaCode: string };
}
export const HealthRegionConnection = Connection(HealthRegionType, 'HealthRegion');

@ObjectType('FsaLookup', { description: 'The health regions of an FSA' })
export class FsaLookupType {
  @Field(() => String)
  fsa!: string;
  @Field(() => ProvinceType)
  province!: ProvinceType;
  @Field(() => [HealthRegionShareType], { description: 'By share, largest first' })
  healthRegions!: HealthRegionShareType[];
}

@ArgsType()
export class HealthRegionsArgs extends Paged(HealthRegionsQueryDto) {
  @Field(() => String, { nullable: true, description: 'A province: ON, or its code 35' })
  override province?: string;
  @Field(() => String, { nullable: true, description: 'Words of the names, any case or accent' })
  override search?: string;
  @Field(() => String, {
    nullable: true,
    description: 'hrUid, nameEn, nameFr or population; `-` descends',
  })
  override ordering?: string;
}

@ArgsType()
export class ProvincesArgs extends Paged(ProvincesQueryDto) {
  @Field(() => String, { nullable: true, description: 'geoCode, alphaCode, nameEn or nameFr' })
  override ordering?: string;
}

@ArgsType()
export class FsasArgs extends Paged(PageQueryDto) {}
