/**
 * Canadian postal codes, the one parser: a whole code (`K1A 0B1`) or its forward sortation area
 * (`K1A`). The first letter excludes D, F, I, O, Q, U, W and Z (Canada Post).
 */

/** A forward sortation area as the health-region data set spells it (upper case). */
export const FSA_PATTERN = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z]$/;
/** A whole postal code without its space, `A1A1A1`, first three characters an FSA. */
const POSTAL_CODE_COMPACT = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z][0-9][A-Z][0-9]$/;
/** What a client may send for a postal code: either form, any case, one optional space. */
export const POSTAL_CODE_PATTERN = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z](?: ?[0-9][A-Z][0-9])?$/i;
const WHITESPACE = /\s+/g;

/**
 * The FSA of a postal code or FSA in any case and spacing (`m5v`, `M5V 2T6`, `m5v2t6` → `M5V`),
 * or null when the input is neither.
 */
export function normalizeFsa(input: string): string | null {
  const compact = input.replace(WHITESPACE, '').toUpperCase();
  if (compact.length === 3) return FSA_PATTERN.test(compact) ? compact : null;
  return POSTAL_CODE_COMPACT.test(compact) ? compact.slice(0, 3) : null;
}

/**
 * A postal code as stored: `k1a0b1` → `K1A 0B1`, `k1a` → `K1A` (surrounding whitespace ignored);
 * null when the input is not `POSTAL_CODE_PATTERN`.
 */
export function normalizePostalCode(input: string): string | null {
  const value = input.trim().toUpperCase();
  if (!POSTAL_CODE_PATTERN.test(value)) return null;
  const compact = value.replace(' ', '');
  return compact.length === 3 ? compact : `${compact.slice(0, 3)} ${compact.slice(3)}`;
}
