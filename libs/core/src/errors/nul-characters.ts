import type { FieldError } from './problem.js';

/** DRF's words (ProhibitNullCharactersValidator). */
export const NUL_MESSAGE = 'Null characters are not allowed.';

/** `tasks.3.operator` from a path of keys, with any NUL in a key made visible. */
const fieldOf = (path: readonly (string | number)[]) =>
  path.map((k) => String(k).replaceAll('\u0000', '\\u0000')).join('.');

/**
 * Every place in `value` where a string (or an object key) holds a NUL character, as DRF's
 * ProhibitNullCharactersValidator reports it. Iterative, so no input can overflow the stack.
 */
export function findNulCharacters(value: unknown, root: readonly string[] = []): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: readonly (string | number)[] }[] = [{ value, path: root }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000'))
        errors.push({ field: fieldOf(path) || 'body', message: NUL_MESSAGE });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        if (key.includes('\u0000')) {
          errors.push({ field: fieldOf([...path, key]), message: NUL_MESSAGE });
          continue;
        }
        stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return errors;
}
