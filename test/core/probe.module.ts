import { Body, Controller, Get, Module, Post, Query, Req } from '@nestjs/common';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import type { Request } from 'express';
import { ConflictProblem, IsOrdering, PageQueryDto, paginate, Public } from '#porch/core';
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
  numbers(@Query() query: ProbeQueryDto, @Req() req: Request) {
    const all = Array.from({ length: 45 }, (_, i) => ({ n: i + 1 }));
    if (query.ordering === '-n') all.reverse();
    return paginate(req, query, all.length, all.slice(query.offset, query.offset + query.limit));
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

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
