import {
  Args,
  ArgsType,
  Field,
  Float,
  Int,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { PageQueryDto, Public, ValidationProblem } from '#porch/core';
import {
  HealthRegionsQueryDto,
  HealthRegionsService,
  ParseFsaPipe,
  ParseProvinceCodePipe,
  ProvincesQueryDto,
  type HealthRegionResponseDto,
} from '#porch/health-regions';
import { Paged } from '../paged.js';
import { Connection, pageOf, toConnection, type ConnectionOf } from '../pagination.js';
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

/** `hrUid`: a positive integer, as REST's ParseHrUidPipe requires. */
const hrUidPipe = {
  transform(value: number): number {
    if (Number.isInteger(value) && value > 0 && value < 1e9) return value;
    throw new ValidationProblem([{ field: 'hrUid', message: 'hrUid must be a positive integer' }]);
  },
};

/** Provinces, health regions and the FSA lookup: public reference data, from memory. */
@Resolver(() => HealthRegionType)
export class HealthRegionsResolver {
  constructor(private readonly service: HealthRegionsService) {}

  @Query(() => HealthRegionConnection, { description: 'Health regions, by hrUid by default' })
  @Public()
  healthRegions(@Args() args: HealthRegionsArgs): ConnectionOf<HealthRegionType> {
    const at = pageOf(args);
    return toConnection(this.service.listHealthRegions({ ...args, ...at }), at);
  }

  @Query(() => HealthRegionType)
  @Public()
  healthRegion(
    @Args('hrUid', { type: () => Int }, hrUidPipe) hrUid: number,
  ): HealthRegionResponseDto {
    return this.service.getHealthRegion(hrUid).value;
  }

  @Query(() => ProvinceConnection)
  @Public()
  provinces(@Args() args: ProvincesArgs): ConnectionOf<ProvinceType> {
    const at = pageOf(args);
    return toConnection(this.service.listProvinces({ ...args, ...at }), at);
  }

  @Query(() => ProvinceType, { description: 'A province by abbreviation or SGC code' })
  @Public()
  province(@Args('code', { type: () => String }, new ParseProvinceCodePipe()) code: string) {
    return this.service.getProvince(code).value;
  }

  @Query(() => FsaLookupType, {
    description: 'The health regions of an FSA or a postal code (any case or spacing)',
  })
  @Public()
  fsa(@Args('code', { type: () => String }, new ParseFsaPipe()) fsa: string) {
    return this.service.lookupFsa(fsa).value;
  }

  @ResolveField('province', () => ProvinceType)
  province_(@Parent() region: HealthRegionType) {
    return this.service.getProvince(region.province.alphaCode).value;
  }

  @ResolveField('fsas', () => HealthRegionFsaConnection, { description: "The region's FSAs" })
  fsas(@Parent() region: HealthRegionType, @Args() args: FsasArgs) {
    const at = pageOf(args);
    return toConnection(this.service.listHealthRegionFsas(region.hrUid, { ...args, ...at }), at);
  }
}
