import { defineExport, where } from './export-definition.js';

describe('where()', () => {
  it('numbers parameters and drops absent conditions', () => {
    expect(
      where(
        'select 1 from t',
        ['t.deleted_at is null', undefined, ['t.a = ?', 1], false, ['t.b < ?', 2]],
        'order by 1',
      ),
    ).toEqual({
      text: 'select 1 from t\nwhere t.deleted_at is null and t.a = $1 and t.b < $2\norder by 1',
      values: [1, 2],
    });
  });

  it('leaves out the where clause when nothing applies', () => {
    expect(where('select 1', [undefined])).toEqual({ text: 'select 1', values: [] });
  });
});

describe('defineExport()', () => {
  const spec = {
    name: 'things',
    filters: ['since'] as const,
    columns: { id: 't.id', createdAt: 't.created_at', label: "t.a || '-' || t.b" },
    from: 'things t join owners o on o.id = t.owner_id',
    key: 't.id',
  };

  it('selects each column under its CSV name, in order, and keeps the header in that order', () => {
    const definition = defineExport(spec);
    expect(definition.columns).toEqual(['id', 'createdAt', 'label']);
    expect(definition.sql({}).text).toBe(
      'select t.id as "id", t.created_at as "createdAt", t.a || \'-\' || t.b as "label" ' +
        'from things t join owners o on o.id = t.owner_id\norder by t.id',
    );
  });

  it("adds the filters' conditions, then the scope on the key; orderBy overrides the order", () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const definition = defineExport({
      ...spec,
      orderBy: 't.created_at, t.id',
      where: (f) => ['o.deleted_at is null', f.since && ['t.created_at >= ?', f.since]],
    });
    const sql = definition.sql({
      since,
      scope: { text: 'select id from x where y = $1', values: [7] },
    });
    expect(sql.text).toMatch(
      /\nwhere o\.deleted_at is null and t\.created_at >= \$1 and t\.id in \(select id from x where y = \$2\)\norder by t\.created_at, t\.id$/,
    );
    expect(sql.values).toEqual([since, 7]);
  });
});

describe('every export definition', () => {
  it('honours the admin scope (the list it is exported from)', async () => {
    const { EXPORT_DEFINITIONS } = await import('./definitions/index.js');
    const scope = {
      text: 'select "scope"."id" from "t" as "scope" where "scope"."x" = $1',
      values: ['v'],
    };
    for (const definition of EXPORT_DEFINITIONS) {
      const sql = definition.sql({ scope });
      expect(sql.text).toContain(
        ' in (select "scope"."id" from "t" as "scope" where "scope"."x" = $1)',
      );
      expect(sql.values).toEqual(['v']);
    }
  });
});
