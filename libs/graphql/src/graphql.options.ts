import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request, RequestHandler, Response } from 'express';
import type { Context as WsContext } from 'graphql-ws';
import type { AppConfig, Authenticator, CounterStore, RedisConnection } from '#porch/core';
import type { GraphqlContext } from './context.js';
import { formatError } from './errors.js';
import { graphqlExplorer } from './explorer/explorer.js';
import { answerFromParent } from './from-parent.js';
import type { LoadersFactory } from './loaders.js';
import { PersistedQueryCache } from './protection/apq-cache.js';
import { apolloDisabledPlugins } from './protection/graphql-cjs.js';
import { protectionPlugin, subscriptionProtection } from './protection/protection.plugin.js';
import {
  socketRequest,
  type SocketExtra,
  type SubscriptionConnections,
} from './realtime/connections.js';

export const GRAPHQL_PATH = '/graphql';

/** What the Apollo driver options are built from (the options factory's injected providers). */
export interface GraphqlOptionsDeps {
  config: AppConfig;
  /** Null in preview mode (`npm run openapi`), where no request is served. */
  loaders: LoadersFactory | null;
  /** Absent in preview mode too. */
  counters?: CounterStore;
  authenticator?: Authenticator;
  redis?: RedisConnection;
  connections?: SubscriptionConnections;
}

/** The driver's options, and what PorchApolloDriver mounts in front of Apollo. */
export interface PorchGraphqlOptions extends ApolloDriverConfig {
  /** GraphiQL at GET /graphql (GRAPHQL_EXPLORER). */
  explorer?: RequestHandler;
}

/**
 * The Apollo driver options, in one place: the path, the code-first schema (built in memory;
 * `npm run graphql:schema` writes it to schema.graphql), the per-request context, and the error
 * mapping. Protection (validation rules, plugins), subscriptions and the explorer are added here.
 */
export function buildGraphqlOptions({
  config,
  loaders,
  counters,
  authenticator,
  redis,
  connections,
}: GraphqlOptionsDeps): PorchGraphqlOptions {
  const limits = {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxCost: config.GRAPHQL_MAX_COST,
    costPerMinute: config.GRAPHQL_COST_PER_MINUTE,
  };
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    // `@FromParent` fields: answered from their parent object when it holds the selection.
    transformSchema: answerFromParent,
    // Not under /api/v1: GraphQL is one endpoint beside the REST API.
    useGlobalPrefix: false,
    playground: false,
    graphiql: false,
    // GRAPHQL_INTROSPECTION: off in production unless enabled.
    introspection: config.GRAPHQL_INTROSPECTION ?? !config.isProduction,
    explorer:
      (config.GRAPHQL_EXPLORER ?? !config.isProduction) ? graphqlExplorer(GRAPHQL_PATH) : undefined,
    // Automatic persisted queries: in Redis (every instance) with REDIS_URL, else a bounded LRU.
    ...(redis ? { persistedQueries: { cache: new PersistedQueryCache(redis) } } : {}),
    // Subscriptions over graphql-ws on the same server and path, signed in at connection_init.
    ...(connections
      ? {
          subscriptions: {
            'graphql-ws': {
              path: GRAPHQL_PATH,
              // graphql-ws' `extra` (unknown to Nest's types): the socket and its upgrade request.
              onConnect: (ctx: WsContext<Record<string, unknown> | undefined>) =>
                connections.onConnect(
                  ctx as WsContext<Record<string, unknown> | undefined, SocketExtra>,
                ),
              ...(counters ? { onOperation: subscriptionProtection(limits, counters) } : {}),
            },
          },
        }
      : {}),
    includeStacktraceInErrorResponses: false,
    // Apollo's CSRF prevention (its default, stated): a multipart or other "simple" request
    // needs a non-simple header such as `apollo-require-preflight`.
    csrfPrevention: true,
    // An HTTP request's, or (graphql-ws) a subscription's: its socket's caller, and no `res`
    // (the HTTP guards skip it; subscriptions check their caller themselves).
    context: (
      arg:
        | { req: Request; res: Response }
        | WsContext<Record<string, unknown> | undefined, SocketExtra>,
    ): GraphqlContext =>
      'extra' in arg
        ? {
            req: socketRequest(arg.extra),
            loaders: loaders!.create(socketRequest(arg.extra)),
            socket: arg.extra,
          }
        : { req: arg.req, res: arg.res, loaders: loaders!.create(arg.req) },
    formatError,
    plugins: [
      apolloDisabledPlugins.ApolloServerPluginCacheControlDisabled(),
      ...(counters && authenticator ? [protectionPlugin(limits, counters, authenticator)] : []),
    ],
    validationRules: [],
  };
}
