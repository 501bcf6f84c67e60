import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request, Response } from 'express';
import type { AppConfig } from '#porch/core';
import type { GraphqlContext } from './context.js';
import { formatError } from './errors.js';
import type { LoadersFactory } from './loaders.js';

export const GRAPHQL_PATH = '/graphql';

/** What the Apollo driver options are built from (the options factory's injected providers). */
export interface GraphqlOptionsDeps {
  config: AppConfig;
  /** Null in preview mode (`npm run openapi`), where no request is served. */
  loaders: LoadersFactory | null;
}

/**
 * The Apollo driver options, in one place: the path, the code-first schema (built in memory;
 * `npm run graphql:schema` writes it to schema.graphql), the per-request context, and the error
 * mapping. Protection (validation rules, plugins), subscriptions and the explorer are added here.
 */
export function buildGraphqlOptions({ config, loaders }: GraphqlOptionsDeps): ApolloDriverConfig {
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    // Not under /api/v1: GraphQL is one endpoint beside the REST API.
    useGlobalPrefix: false,
    playground: false,
    graphiql: false,
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: false,
    // Apollo's CSRF prevention (its default, stated): a multipart or other "simple" request
    // needs a non-simple header such as `apollo-require-preflight`.
    csrfPrevention: true,
    context: ({ req, res }: { req: Request; res: Response }): GraphqlContext => ({
      req,
      res,
      loaders: loaders!.create(req),
    }),
    formatError,
    plugins: [],
    validationRules: [],
  };
}
