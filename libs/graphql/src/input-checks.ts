import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { findNulCharacters, ValidationProblem } from '#porch/core';

/**
 * `@Args()` parameters' type in Nest's pipe metadata (`GqlParamtype.ARGS` of @nestjs/graphql,
 * which does not export the enum).
 */
const GRAPHQL_ARGS = 3;

/**
 * REST's rule for every string, on GraphQL arguments (inline literals and variables alike, root
 * and nested fields): no NUL character (PostgreSQL refuses them in text). REST checks its input
 * in the InputGuard and the validation pipe; GraphQL's arguments pass here. BAD_USER_INPUT.
 */
@Injectable()
export class GraphqlArgsNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type as unknown) !== GRAPHQL_ARGS) return value;
    const errors = findNulCharacters(value, metadata.data ? [metadata.data] : []);
    if (errors.length) throw new ValidationProblem(errors);
    return value;
  }
}
