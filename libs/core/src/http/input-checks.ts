import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { findNulCharacters } from '../errors/nul-characters.js';
import { ValidationProblem } from '../errors/validation.js';

/**
 * Checks every request's input gets, whatever the route: no NUL characters in any string, and
 * JSON bodies no deeper than MAX_JSON_DEPTH. PostgreSQL refuses NUL in text (and a deep body
 * overflows the stack of whatever walks it), so without these a 500 is one request away.
 */

/** Nesting a JSON body may have (objects and arrays); Porch's own bodies need 4. */
export const MAX_JSON_DEPTH = 32;

/**
 * A global guard on a request's parsed input: the path parameters, the query string and the
 * body (JSON or form) must hold no NUL character. Global guards run before a route's own (the
 * login's passport strategy reads the body in one). Multipart bodies are parsed later, by the
 * route's interceptor: the global validation pipe checks those.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const errors = [
      ...findNulCharacters(req.params ?? {}),
      ...findNulCharacters(req.query ?? {}),
      ...findNulCharacters(req.body ?? {}),
    ];
    if (errors.length) throw new ValidationProblem(errors);
    return true;
  }
}

/** The error body-parser passes on for a body nested deeper than MAX_JSON_DEPTH (a 400). */
class TooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * body-parser's `verify` hook for JSON: one pass over the raw bytes, before parsing, counting
 * brackets outside strings. Throws TooDeepError (400) past MAX_JSON_DEPTH.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new TooDeepError();
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
