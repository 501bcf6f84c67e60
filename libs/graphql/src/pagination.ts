import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { DEFAULT_LIMIT, MAX_OFFSET, ValidationProblem, type PageOf } from '#porch/core';

/**
 * Relay connections over the services' pages (`limit`/`offset`): a cursor is the opaque
 * base64url of a position in the list, `after` continues after it. The services keep their
 * ordering and filters; a connection is only another way to ask for the same page.
 */

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Field(() => Boolean)
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true })
  startCursor!: string | null;
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A connection's arguments (declared with each list's filters: see `Paged`). */
export interface PageArgs {
  first?: number;
  after?: string;
}

const PREFIX = 'porch:';

export function encodeCursor(position: number): string {
  return Buffer.from(`${PREFIX}${position}`).toString('base64url');
}

/** The position a cursor stands for; a cursor not made here is BAD_USER_INPUT. */
export function decodeCursor(cursor: string, field = 'after'): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString()
    : '';
  const match = /^porch:(\d{1,10})$/.exec(text);
  const position = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(position) || position < 1 || position > MAX_OFFSET)
    throw new ValidationProblem([{ field, message: `${field} must be a cursor from this list` }]);
  return position;
}

/** `first`/`after` as the services' `limit`/`offset`. */
export function pageOf(args: PageArgs): { limit: number; offset: number } {
  return {
    limit: args.first ?? DEFAULT_LIMIT,
    offset: args.after === undefined || args.after === null ? 0 : decodeCursor(args.after),
  };
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface ConnectionOf<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A service's page as a connection. */
export function toConnection<T, N = T>(
  page: PageOf<T>,
  at: { limit: number; offset: number },
  map: (row: T) => N = (row) => row as unknown as N,
): ConnectionOf<N> {
  const nodes = page.results.map(map);
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(at.offset + i + 1), node }));
  return {
    edges,
    nodes,
    totalCount: page.count,
    pageInfo: {
      hasNextPage: at.offset + nodes.length < page.count,
      hasPreviousPage: at.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T>(node: Type<T>, name: string): Type<ConnectionOf<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;
    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];
    @Field(() => [node], { description: 'The nodes of `edges`, for clients that need no cursor' })
    nodes!: T[];
    @Field(() => PageInfo)
    pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Rows in the whole list, all pages' })
    totalCount!: number;
  }
  return ConnectionType as Type<ConnectionOf<T>>;
}
