import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import {
  ApiPageResponse,
  Authenticated,
  ConflictProblem,
  CurrentUser,
  IsOrdering,
  type Page,
  PageQueryDto,
  Pager,
  type Principal,
  Public,
  StaffOnly,
  SuperuserOnly,
} from '#porch/core';
import { IsOptional } from 'class-validator';

class ItemDto {
  @IsString()
  @MaxLength(5)
  label!: string;
}

class ProbeBodyDto {
  @IsString()
  @MaxLength(10)
  name!: string;

  @IsInt()
  @Min(0)
  @Max(3)
  count!: number;

  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items: ItemDto[] = [];
}

class NumberDto {
  n!: number;
}

class ProbeQueryDto extends PageQueryDto {
  @IsOptional()
  @IsOrdering(['n'])
  ordering?: string;
}

/** Routes that exist only in tests, to exercise the shared HTTP pipeline. */
@Public()
@Controller('probe')
class ProbeController {
  @Post()
  create(@Body() body: ProbeBodyDto) {
    return body;
  }

  @Get('numbers')
  @ApiPageResponse(NumberDto)
  numbers(@Query() query: ProbeQueryDto, @Pager() pager: Pager): Promise<Page<NumberDto>> {
    const all = Array.from({ length: 45 }, (_, i) => ({ n: i + 1 }));
    if (query.ordering === '-n') all.reverse();
    return pager.page(query, {
      count: all.length,
      results: all.slice(query.offset, query.offset + query.limit),
    });
  }

  @Get('named')
  named(@Query('q') q?: string) {
    return { q: q ?? null };
  }

  @Get('plain')
  plain() {
    return { ok: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret detail: SELECT * FROM users');
  }

  @Get('conflict')
  conflict(): never {
    throw new ConflictProblem('Already there', { currentStatus: 'confirmed' });
  }
}

/** Routes guarded at each access level. */
@Controller('probe/access')
class AccessProbeController {
  @Get('anyone')
  @Public()
  anyone(@CurrentUser() user?: Principal) {
    return { user: user?.id ?? null };
  }

  @Get('user')
  @Authenticated()
  user(@CurrentUser() user: Principal) {
    return { user: user.id };
  }

  @Get('staff')
  @StaffOnly()
  staff() {
    return { ok: true };
  }

  @Get('superuser')
  @SuperuserOnly()
  superuser() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController, AccessProbeController] })
export class ProbeModule {}
