import { Transform } from 'class-transformer';

/** Trims surrounding whitespace from strings before validation, as DRF's CharField does (so
 * `'  '` is empty and lengths count what is stored). */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
