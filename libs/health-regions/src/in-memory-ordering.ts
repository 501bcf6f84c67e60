export type Compare<T> = (a: T, b: T) => number;

/**
 * `?ordering=` over rows held in memory, with PostgreSQL's semantics: comma-separated fields, `-`
 * for descending, nulls last ascending and first descending, then `tiebreak` so pages are stable.
 * Fields are validated beforehand (`IsOrdering`). Returns `rows` itself when there is nothing to do.
 */
export function orderRows<T>(
  rows: readonly T[],
  ordering: string | undefined,
  comparators: Readonly<Record<string, Compare<T>>>,
  tiebreak: Compare<T>,
): readonly T[] {
  if (!ordering) return rows;
  const chain = ordering.split(',').map((part): Compare<T> => {
    const compare = comparators[part.replace(/^-/, '')]!;
    return part.startsWith('-') ? (a, b) => compare(b, a) : compare;
  });
  chain.push(tiebreak);
  return [...rows].sort((a, b) => {
    for (const compare of chain) {
      const result = compare(a, b);
      if (result) return result;
    }
    return 0;
  });
}

/** Numbers ascending, nulls after every number. */
export function compareNullableNumbers(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/** Text in dictionary order for the language, numbers in numeric order (`Zone 2` < `Zone 10`). */
export function textComparator(locale: 'en' | 'fr'): Compare<string> {
  return new Intl.Collator(locale, { numeric: true }).compare;
}
