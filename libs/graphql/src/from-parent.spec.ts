import { jest } from '@jest/globals';
import {
  graphql,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
} from 'graphql';
import { answerFromParent } from './from-parent.js';
import { selectsOnly } from './selection.js';

/** A schema as Nest builds it: `host` has a resolver and the `@FromParent` extension. */
function schemaWith(resolveHost: GraphQLFieldConfig<{ host: object }, unknown>['resolve']) {
  const User = new GraphQLObjectType({
    name: 'User',
    fields: { id: { type: GraphQLString }, email: { type: GraphQLString } },
  });
  const Party = new GraphQLObjectType<{ host: object }>({
    name: 'Party',
    fields: {
      host: {
        type: User,
        resolve: resolveHost,
        extensions: {
          porchFromParent: (_: unknown, info: Parameters<typeof selectsOnly>[0]) =>
            selectsOnly(info, new Set(['id'])),
        },
      },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { party: { type: Party, resolve: () => ({ host: { id: 'h1' } }) } },
    }),
  });
}

describe('answerFromParent', () => {
  it("answers a selection the parent holds from the parent's property, without the resolver", async () => {
    const resolve = jest.fn(() => ({ id: 'loaded', email: 'h@example.com' }));
    const schema = answerFromParent(schemaWith(resolve));
    const result = await graphql({ schema, source: '{ party { host { id } } }' });
    expect(result).toEqual({ data: { party: { host: { id: 'h1' } } } });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('runs the resolver when the selection asks for more than the parent holds', async () => {
    const resolve = jest.fn(() => ({ id: 'loaded', email: 'h@example.com' }));
    const schema = answerFromParent(schemaWith(resolve));
    const result = await graphql({ schema, source: '{ party { host { id email } } }' });
    expect(result).toEqual({ data: { party: { host: { id: 'loaded', email: 'h@example.com' } } } });
    expect(resolve).toHaveBeenCalledTimes(1);
  });
});
