/** Values in and out of hand-written SQL. */

/** A `LIKE` pattern matching `term` anywhere, with `%`, `_` and `\` taken literally (`escape '\'`). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A raw timestamp as MikroORM's pg connection returns it (text, `2026-11-22 20:00:00+00`). */
export type RawTimestamp = string | Date;

/**
 * Parses a raw timestamp (ISO-normalized first, so parsing does not rest on engine leniency);
 * null stays null.
 */
export function timestamp(value: RawTimestamp): Date;
export function timestamp(value: RawTimestamp | null): Date | null;
export function timestamp(value: RawTimestamp | null): Date | null {
  if (value === null || value instanceof Date) return value;
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}
