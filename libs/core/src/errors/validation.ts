import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { findNulCharacters } from './nul-characters.js';
import type { FieldError } from './problem.js';
import { ProblemException } from './problem.exception.js';
import { cacheValidationMetadata } from './validation-metadata.js';

/** Flattens class-validator's tree into `{ field, message }` with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[]) {
    super(400, errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      type: 'https://porch.dev/problems/validation',
      title: 'Validation failed',
      errors,
    });
  }
}

/**
 * class-validator's pipe, plus the one rule every string obeys: no NUL characters (as DRF's
 * ProhibitNullCharactersValidator). The InputGuard checks params, query and JSON/form bodies
 * before any route guard; this catches bodies parsed after guards (multipart, by interceptors).
 */
const isPrimitive = (type: unknown) => type === Number || type === Boolean || type === String;

/**
 * What a GraphQL resolver is given besides its arguments: @nestjs/graphql's parameter types
 * (`GqlParamtype`) ROOT (the parent object), CONTEXT and INFO, numbered 0–2; ARGS (3) is input.
 * They are the server's own objects, not input: the pipe would otherwise validate every parent
 * (a field resolver's `@Parent() invite: InviteType`, once per item of a list) as if sent.
 */
const GRAPHQL_NOT_INPUT: ReadonlySet<unknown> = new Set([0, 1, 2]);

class PorchValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (GRAPHQL_NOT_INPUT.has(metadata.type)) return value;
    // A path parameter is converted by its route's pipe (ParseUUIDPipe, ParseHrUidPipe…), which
    // must see the text as sent: the global pipe runs first, and would turn `1e3` into 1000.
    if (
      metadata.type === 'param' &&
      metadata.metatype !== undefined &&
      isPrimitive(metadata.metatype)
    )
      return value;
    if (metadata.type === 'body') {
      const errors = findNulCharacters(value, metadata.data ? [metadata.data] : []);
      if (errors.length) throw new ValidationProblem(errors);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: strips nothing silently (unknown fields are errors) and converts types. */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new PorchValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
