import { Injectable, type PipeTransform } from '@nestjs/common';
import { Args, ID } from '@nestjs/graphql';
import { isUUID } from 'class-validator';
import { ValidationProblem } from '#porch/core';

/** Checks an `ID` argument is a UUID, as REST's ParseUUIDPipe does (else BAD_USER_INPUT). */
@Injectable()
export class UuidArgPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}
  transform(value: string): string {
    if (isUUID(value)) return value;
    throw new ValidationProblem([{ field: this.name, message: `${this.name} must be a UUID` }]);
  }
}

/** `name: ID!`, a UUID. */
export const IdArg = (name = 'id') => Args(name, { type: () => ID }, new UuidArgPipe(name));
