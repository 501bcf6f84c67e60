import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A forward sortation area as the data set spells it (upper case; README of the data). */
export const FSA_PATTERN = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z]$/;
/** A whole postal code without its space, `A1A1A1`, first three characters an FSA. */
const POSTAL_CODE_COMPACT = /^[ABCEGHJ-NPRSTVXY][0-9][A-Z][0-9][A-Z][0-9]$/;
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
 * A whole postal code in its canonical form `A1A 1A1` (any case and spacing accepted), or null
 * when the input is not one. An FSA alone is not a postal code.
 */
export function normalizePostalCode(input: string): string | null {
  const compact = input.replace(WHITESPACE, '').toUpperCase();
  return POSTAL_CODE_COMPACT.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : null;
}

export interface PostalCodeValidationOptions {
  /** Accept an FSA on its own (`M5V`) as well as a whole postal code. */
  allowFsa?: boolean;
}

/**
 * class-validator: a Canadian postal code (`A1A 1A1`, any case and spacing), or with
 * `allowFsa` also a bare FSA. Pair it with a `@Transform` calling `normalizePostalCode` to store
 * the canonical form.
 */
export function IsCanadianPostalCode(
  options: PostalCodeValidationOptions = {},
  validationOptions?: ValidationOptions,
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCanadianPostalCode',
      target: target.constructor,
      propertyName,
      options: {
        message: options.allowFsa
          ? '$property must be a Canadian postal code (A1A 1A1) or FSA (A1A)'
          : '$property must be a Canadian postal code (A1A 1A1)',
        ...validationOptions,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          (options.allowFsa ? normalizeFsa(value) : normalizePostalCode(value)) !== null,
      },
    });
}
