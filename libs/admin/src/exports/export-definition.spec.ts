import { where } from './export-definition.js';

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
