import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Public, ValidationProblem } from '#porch/core';
import {
  HealthRegionsService,
  ParseFsaPipe,
  ParseProvinceCodePipe,
  type HealthRegionResponseDto,
} from '#porch/health-regions';
import { pageOf, toConnection, type ConnectionOf } from '../pagination.js';
import {
  FsaLookupType,
  FsasArgs,
  HealthRegionConnection,
  HealthRegionFsaConnection,
  HealthRegionsArgs,
  HealthRegionType,
  ProvinceConnection,
  ProvincesArgs,
  ProvinceType,
} from './health-region.types.js';

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
