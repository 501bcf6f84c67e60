import { compareNullableNumbers, orderRows, textComparator } from './in-memory-ordering.js';

interface Row {
  id: number;
  name: string;
  pop: number | null;
}
const rows: Row[] = [
  { id: 1, name: 'Zone 10', pop: 5 },
  { id: 2, name: 'zone 2', pop: null },
  { id: 3, name: 'Élan', pop: 5 },
  { id: 4, name: 'Alpha', pop: 9 },
];
const en = textComparator('en');
const comparators = {
  id: (a: Row, b: Row) => a.id - b.id,
  name: (a: Row, b: Row) => en(a.name, b.name),
  pop: (a: Row, b: Row) => compareNullableNumbers(a.pop, b.pop),
};
const ids = (ordering?: string) =>
  orderRows(rows, ordering, comparators, comparators.id).map((r) => r.id);

describe('orderRows', () => {
  it('returns the rows untouched without an ordering', () => {
    expect(orderRows(rows, undefined, comparators, comparators.id)).toBe(rows);
  });

  it('orders text in dictionary order, numbers inside text numerically', () => {
    expect(ids('name')).toEqual([4, 3, 2, 1]);
    expect(ids('-name')).toEqual([1, 2, 3, 4]);
  });

  it('puts nulls last ascending and first descending, as PostgreSQL does', () => {
    expect(ids('pop')).toEqual([1, 3, 4, 2]);
    expect(ids('-pop')).toEqual([2, 4, 1, 3]);
  });

  it('applies several fields, then the tiebreak', () => {
    expect(ids('pop,-name')).toEqual([1, 3, 4, 2]);
    expect(ids('-pop,-id')).toEqual([2, 4, 3, 1]);
  });
});
