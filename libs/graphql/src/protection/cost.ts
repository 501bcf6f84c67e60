import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { complexityCjs } from './graphql-cjs.js';

const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = complexityCjs;

/**
 * A connection field (one with a `first` argument) costs its selection once per item it may
 * return: `first`, or the default page size when it is absent.
 */
function connectionEstimator(defaultPageSize: number): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    if (!field.args.some((arg) => arg.name === 'first')) return undefined;
    const first = typeof args.first === 'number' ? Math.max(0, args.first) : defaultPageSize;
    return 1 + first * Math.max(1, childComplexity);
  };
}

/**
 * What an operation costs before it runs: one per field, a field's own `complexity` extension
 * where it declares one, and each connection's selection multiplied by its page size. So
 * `{ invites(first: 50) { edges { node { party { host { name } } } } } }` costs about 50 × 5.
 */
export function operationCost(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  defaultPageSize: number;
}): number {
  return getComplexity({
    schema: options.schema,
    query: options.document,
    operationName: options.operationName ?? undefined,
    variables: options.variables ?? {},
    estimators: [
      fieldExtensionsEstimator(),
      connectionEstimator(options.defaultPageSize),
      simpleEstimator({ defaultComplexity: 1 }),
    ],
  });
}
