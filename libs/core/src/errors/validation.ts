import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from './problem.js';
import { ProblemException } from './problem.exception.js';

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

/** The global pipe: strips nothing silently (unknown fields are errors) and converts types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
