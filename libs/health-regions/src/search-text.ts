const MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
// Letters NFD does not decompose but a French or English speaker types as two.
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };
const LIGATURE = /[œæß]/g;

/**
 * Folds text for search: no accents, lower case, punctuation as spaces
 * (`Région de Montréal` → `region de montreal`, `Saint-Jean` → `saint jean`).
 */
export function foldSearchText(text: string): string {
  return text
    .normalize('NFD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(LIGATURE, (c) => LIGATURES[c]!)
    .replace(NOT_WORD, ' ')
    .trim();
}

/** The words of a search query, folded; empty when the query has none. */
export function searchTerms(query: string | undefined): string[] {
  const folded = query ? foldSearchText(query) : '';
  return folded ? folded.split(' ') : [];
}

/** True when every term occurs in the folded text (as a substring, like DRF's `icontains`). */
export function matchesSearch(foldedText: string, terms: readonly string[]): boolean {
  return terms.every((t) => foldedText.includes(t));
}
