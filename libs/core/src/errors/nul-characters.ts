import type { FieldError } from './problem.js';

/** DRF's words (ProhibitNullCharactersValidator). */
export const NUL_MESSAGE = 'Null characters are not allowed.';

const BAD_KEY = Symbol('a key holding a NUL');

/** A place in the walked value: its key and its parent (the path is built only when needed). */
interface Place {
  key: string | number | undefined;
  parent: Place | undefined;
}

/** `tasks.3.operator` for a place, with any NUL in a key made visible. */
function fieldOf(place: Place | undefined, root: readonly string[]): string {
  const keys: string[] = [];
  for (let p = place; p && p.key !== undefined; p = p.parent) keys.push(String(p.key));
  return [...root, ...keys.reverse()].map((k) => k.replaceAll('\u0000', '\\u0000')).join('.');
}

/**
 * Every place in `value` where a string (or an object key) holds a NUL character, as DRF's
 * ProhibitNullCharactersValidator reports it. Iterative and linear, so no input can overflow the
 * stack or take quadratic time.
 */
export function findNulCharacters(value: unknown, root: readonly string[] = []): FieldError[] {
  const errors: FieldError[] = [];
  const top: Place = { key: undefined, parent: undefined };
  const stack: [unknown, Place][] = [[value, top]];
  const report = (place: Place) =>
    errors.push({ field: fieldOf(place, root) || 'body', message: NUL_MESSAGE });
  while (stack.length) {
    const [v, place] = stack.pop()!;
    if (v === BAD_KEY) report(place);
    else if (typeof v === 'string') {
      if (v.includes('\u0000')) report(place);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], { key: i, parent: place }]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const child = { key, parent: place };
        // A bad key is reported in its turn, so errors come in document order.
        stack.push([key.includes('\u0000') ? BAD_KEY : (v as Record<string, unknown>)[key], child]);
      }
    }
  }
  return errors;
}
