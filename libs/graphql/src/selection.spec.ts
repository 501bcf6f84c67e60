import { buildSchema, execute, parse, type DocumentNode, type GraphQLResolveInfo } from 'graphql';
import { selectedFields, selectsOnly } from './selection.js';

const schema = buildSchema(`
  type User { id: ID name: String email: String }
  type Party { id: ID host: User }
  type Query { party: Party }
`);

/** Runs `document` and returns the resolve info `party` was given. */
async function infoOf(document: DocumentNode): Promise<GraphQLResolveInfo> {
  let seen: GraphQLResolveInfo | undefined;
  // A root value's function is called as graphql's default resolver calls it: (args, ctx, info).
  const party = (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
    seen = info;
    return { id: 'p', host: { id: 'u', name: 'Ann', email: 'ann@example.com' } };
  };
  const result = await execute({ schema, document, rootValue: { party } });
  expect(result.errors).toBeUndefined();
  return seen!;
}

describe('selectedFields', () => {
  it('names the fields under a field and under its sub-fields, fragments followed', async () => {
    const info = await infoOf(
      parse(`{ party { id ...Host } } fragment Host on Party { host { id ... on User { name } } }`),
    );
    expect([...selectedFields(info)]).toEqual(['id', 'host']);
    expect([...selectedFields(info, ['host'])]).toEqual(['id', 'name']);
    expect(selectsOnly(info, new Set(['id', 'name']), ['host'])).toBe(true);
    expect(selectsOnly(info, new Set(['id']), ['host'])).toBe(false);
  });

  it('walks a parsed document once: the same query run again gets the same answer object', async () => {
    const document = parse(`{ party { id host { id } } }`);
    const first = selectedFields(await infoOf(document), ['host']);
    const again = selectedFields(await infoOf(document), ['host']);
    expect(again).toBe(first);
    // Another document with the same text is another parse: walked on its own.
    const other = selectedFields(await infoOf(parse(`{ party { id host { id } } }`)), ['host']);
    expect(other).not.toBe(first);
    expect([...other]).toEqual([...first]);
  });

  it('a field asked for twice is the union of both selections, each time', async () => {
    const document = parse(`{ party { host { id } } party { host { email } } }`);
    const info = await infoOf(document);
    expect(info.fieldNodes).toHaveLength(2);
    expect([...selectedFields(info, ['host'])]).toEqual(['id', 'email']);
    expect(selectsOnly(info, new Set(['id', 'name']), ['host'])).toBe(false);
    expect([...selectedFields(await infoOf(document), ['host'])]).toEqual(['id', 'email']);
  });
});
