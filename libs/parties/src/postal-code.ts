/**
 * Canadian postal codes: a whole code (`K1A 0B1`, space optional) or just its forward sortation
 * area (`K1A`), any case. The first letter excludes D, F, I, O, Q, U, W, Z (Canada Post).
 */
export const FSA_PATTERN = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z]$/i;
export const FULL_POSTAL_CODE_PATTERN = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z] ?[0-9][A-Z][0-9]$/i;
/** Either form, for validation. */
export const POSTAL_CODE_PATTERN = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z](?: ?[0-9][A-Z][0-9])?$/i;

/** `k1a0b1` → `K1A 0B1`, `k1a` → `K1A`; null when it is neither form. */
export function normalizePostalCode(input: string): string | null {
  const value = input.trim().toUpperCase();
  if (FSA_PATTERN.test(value)) return value;
  if (FULL_POSTAL_CODE_PATTERN.test(value)) return `${value.slice(0, 3)} ${value.slice(-3)}`;
  return null;
}
