import { foldSearchText, matchesSearch, searchTerms } from './search-text.js';

describe('search text', () => {
  it('folds accents, case, punctuation and ligatures', () => {
    expect(foldSearchText('Région de Montréal')).toBe('region de montreal');
    expect(foldSearchText('Saguenay—Lac-Saint-Jean')).toBe('saguenay lac saint jean');
    expect(foldSearchText("Région de l'Abitibi-Témiscamingue")).toBe(
      'region de l abitibi temiscamingue',
    );
    expect(foldSearchText('Île-du-Prince-Édouard')).toBe('ile du prince edouard');
    expect(foldSearchText('Cœur')).toBe('coeur');
  });

  it('splits a query into folded terms; blank queries have none', () => {
    expect(searchTerms('  Montréal  Région ')).toEqual(['montreal', 'region']);
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms('  -- ')).toEqual([]);
    expect(searchTerms(undefined)).toEqual([]);
  });

  it('matches when every term occurs', () => {
    const text = foldSearchText('Région de Montréal');
    expect(matchesSearch(text, searchTerms('Montreal'))).toBe(true);
    expect(matchesSearch(text, searchTerms('MONTRÉAL région'))).toBe(true);
    expect(matchesSearch(text, searchTerms('mont'))).toBe(true);
    expect(matchesSearch(text, searchTerms('montreal toronto'))).toBe(false);
  });
});
