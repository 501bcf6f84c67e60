import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationProblem } from '../errors/validation.js';

/** `:userId` path parameters: a user id, or `me` for the caller. */
@Injectable()
export class ParseUserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value === 'me' || isUUID(value)) return value;
    throw new ValidationProblem([{ field: 'userId', message: 'userId must be a UUID or "me"' }]);
  }
}
