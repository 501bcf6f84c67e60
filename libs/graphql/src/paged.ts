import type { Type } from '@nestjs/common';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEFAULT_LIMIT, MAX_LIMIT } from '#porch/core';

/**
 * A REST query DTO (its filters, their validation and messages) with a connection's `first` and
 * `after` in place of `limit`/`offset` (which keep their defaults and are set from those).
 */
export function Paged<T extends Type<object>>(Base: T) {
  @ArgsType()
  class PagedArgs extends Base {
    @Field(() => Int, {
      nullable: true,
      description: `Page size (1–${MAX_LIMIT}, default ${DEFAULT_LIMIT})`,
    })
    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(MAX_LIMIT)
    first?: number;

    @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
    @IsOptional()
    @IsString()
    after?: string;
  }
  return PagedArgs;
}
