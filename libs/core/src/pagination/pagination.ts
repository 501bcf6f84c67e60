import {
  applyDecorators,
  Type as ClassType,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request } from 'express';
import { CachedJson } from '../http/http-cache.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** Offsets past this are refused (400): PostgreSQL's OFFSET is a bigint, JavaScript's numbers stop being exact at 2^53. */
export const MAX_OFFSET = 1_000_000_000;

/** `?limit=&offset=` of every collection; extend it with the route's own filters. */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Page size',
    minimum: 1,
    maximum: MAX_LIMIT,
    default: DEFAULT_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = DEFAULT_LIMIT;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Rows to skip',
    minimum: 0,
    maximum: MAX_OFFSET,
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}

/** DRF's page shape, which the mobile app already speaks. */
export class Page<T> {
  @ApiProperty({ example: 42 })
  count!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'http://localhost:3000/api/v1/parties?limit=20&offset=20',
  })
  next!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  previous!: string | null;
  results!: T[];
}

/** A page as a service returns it: its rows and the total; `paginate` adds the links. */
export type PageOf<T> = Pick<Page<T>, 'count' | 'results'>;

function pageUrl(req: Request, limit: number, offset: number, href = req.originalUrl): string {
  const url = new URL(href, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  url.searchParams.set('limit', String(limit));
  if (offset > 0) url.searchParams.set('offset', String(offset));
  else url.searchParams.delete('offset');
  return url.toString();
}

/**
 * Wraps one page of results with absolute next/previous links built from the request (or from
 * `href`, a path and query standing for it: see `PageCache`).
 */
export function paginate<T>(
  req: Request,
  query: { limit: number; offset: number },
  count: number,
  results: T[],
  href?: string,
): Page<T> {
  const { limit, offset } = query;
  return {
    count,
    next: offset + limit < count ? pageUrl(req, limit, offset + limit, href) : null,
    previous: offset > 0 ? pageUrl(req, limit, Math.max(0, offset - limit), href) : null,
    results,
  };
}

/**
 * Pages of in-memory data serialized once: the JSON text and its ETag per normalized query (the
 * origin, the path, the given filters in a fixed order, limit and offset), made again only when
 * the data's version (any object, compared by identity) changes. The page's links are built from
 * that normalized query, so two spellings of one query (`?offset=0&limit=20`, `?limit=20`) get
 * the same bytes and the same ETag. Bounded: past `max` pages the oldest is dropped.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedJson<unknown>>();
  private version?: object;

  constructor(private readonly max = 512) {}

  page(
    req: Request,
    version: object,
    query: { limit: number; offset: number },
    filters: Record<string, string | number | undefined>,
    rows: () => { count: number; results: unknown[] },
  ): CachedJson<unknown> {
    if (version !== this.version) {
      this.pages.clear();
      this.version = version;
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters))
      if (value !== undefined) params.set(name, String(value));
    const path = req.originalUrl.split('?', 1)[0];
    const href = params.size ? `${path}?${params}` : path;
    const key = `${req.protocol}://${req.get('host') ?? ''}${href} ${query.limit} ${query.offset}`;
    let page = this.pages.get(key);
    if (!page) {
      const { count, results } = rows();
      page = CachedJson.of(paginate(req, query, count, results, href));
      if (this.pages.size >= this.max) this.pages.delete(this.pages.keys().next().value!);
      this.pages.set(key, page);
    }
    return page;
  }
}

/** Swagger: a 200 whose body is a Page of `model`. */
export function ApiPageResponse(model: ClassType<unknown>, description?: string) {
  return applyDecorators(
    ApiExtraModels(Page, model),
    ApiOkResponse({
      description,
      schema: {
        allOf: [
          { $ref: getSchemaPath(Page) },
          { properties: { results: { type: 'array', items: { $ref: getSchemaPath(model) } } } },
        ],
      },
    }),
  );
}

/** What `@Pager()` hands a list route: `page(query, slice)` adds the request's links to a `PageOf`. */
export interface Pager {
  page<T>(
    query: { limit: number; offset: number },
    slice: PageOf<T> | Promise<PageOf<T>>,
  ): Promise<Page<T>>;
}

/**
 * A list route's pager (DRF's `pagination_class`): `return pager.page(query, this.service.list(…))`
 * answers DRF's page with absolute next/previous links built from the request. A parameter, not
 * an interceptor: an interceptor puts a read route through rxjs and `AsyncResource.bind`, whose
 * closures survive minor collections and take the request with them (see the README's bench).
 */
export const Pager = createParamDecorator((_: unknown, context: ExecutionContext): Pager => {
  const req = context.switchToHttp().getRequest<Request>();
  return {
    async page(query, slice) {
      const { count, results } = await slice;
      return paginate(req, query, count, results);
    },
  };
});
