// Nest's Apollo driver loads @apollo/server's CommonJS build: its types, not the ESM build's.
import type {
  ApolloServerPlugin,
  HeaderMap,
} from '@apollo/server' with { 'resolution-mode': 'require' };
import type { Request } from 'express';
import { graphqlCjs } from './graphql-cjs.js';
import { type Authenticator, bearerToken, type CounterStore, DEFAULT_LIMIT } from '#porch/core';
import { operationCost } from './cost.js';
import { operationDepth } from './depth.js';

export interface ProtectionLimits {
  /** GRAPHQL_MAX_DEPTH */
  maxDepth: number;
  /** GRAPHQL_MAX_COST */
  maxCost: number;
  /** GRAPHQL_COST_PER_MINUTE */
  costPerMinute: number;
}

/** The counter one caller's GraphQL cost is charged to: the user, else the client IP. */
export function costBucket(req: Request | undefined): string {
  if (req?.user) return `gql-cost:user:${req.user.id}`;
  return `gql-cost:ip:${req?.ip ?? 'unknown'}`;
}

/**
 * Checks an operation before it runs: its depth, then its cost, then whether its caller may
 * still spend that much this minute. Any of them over its limit and the operation is refused
 * (nothing resolves), with the limit and the measured value in `extensions`:
 * `QUERY_TOO_DEEP` / `QUERY_TOO_COMPLEX` (400), `TOO_MANY_REQUESTS` (429 with Retry-After).
 *
 * Done when the operation is resolved rather than as validation rules: Apollo files every
 * validation error under GRAPHQL_VALIDATION_FAILED, and the cost needs the variables (`first:
 * $n`). The depth walk comes first.
 */
export function protectionPlugin(
  limits: ProtectionLimits,
  counters: CounterStore,
  authenticator: Authenticator,
): ApolloServerPlugin<{ req?: Request }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request, contextValue }) {
          if (!operation) return;
          // The cost is charged to the caller, known before any resolver runs: the token is
          // looked up here (once; the AccessGuard then finds `req.user` set). A bad token is
          // left to the guard (UNAUTHENTICATED) and charged to the IP meanwhile.
          const req = contextValue.req;
          const token = req && !req.user ? bearerToken(req) : undefined;
          if (token) req!.user = (await authenticator.authenticate(token)) ?? undefined;
          await checkOperation(limits, counters, {
            document,
            operation,
            schema,
            operationName: request.operationName,
            variables: request.variables,
            req: contextValue.req,
          });
        },
      };
    },
  };
}

/** The same checks for an operation arriving another way (a graphql-ws subscription). */
export async function checkOperation(
  limits: ProtectionLimits,
  counters: CounterStore,
  op: {
    document: Parameters<typeof operationDepth>[0];
    operation: Parameters<typeof operationDepth>[1];
    schema: Parameters<typeof operationCost>[0]['schema'];
    operationName?: string | null;
    variables?: Record<string, unknown>;
    req: Request | undefined;
  },
): Promise<void> {
  const measured = measure(op, limits.maxDepth);
  if (measured.depth > limits.maxDepth)
    throw refusal(
      `The operation is nested deeper than the limit of ${limits.maxDepth}`,
      'QUERY_TOO_DEEP',
      400,
      { limit: limits.maxDepth, depth: measured.depth },
    );
  const { cost } = measured;
  // Variables that do not coerce: execution refuses them with the usual BAD_USER_INPUT.
  if (cost === undefined) return;
  if (cost > limits.maxCost)
    throw refusal(
      `The operation costs ${cost}, more than the limit of ${limits.maxCost}`,
      'QUERY_TOO_COMPLEX',
      400,
      { limit: limits.maxCost, cost },
    );
  const spent = await counters.add(costBucket(op.req), cost, 60);
  if (spent.hits > limits.costPerMinute)
    throw refusal(
      `Too many requests: more than ${limits.costPerMinute} cost a minute; retry in ${spent.retryAfter} s`,
      'TOO_MANY_REQUESTS',
      429,
      { limit: limits.costPerMinute, cost, retryAfter: spent.retryAfter },
      new Map([['retry-after', String(spent.retryAfter)]]) as HeaderMap,
    );
}

type Measured = { depth: number; cost: number | undefined };

/** Variants (operation name and variables) remembered per document: a few per screen. */
const VARIANTS_PER_DOCUMENT = 16;
const measuredOf = new WeakMap<object, Map<string, Measured>>();

/**
 * An operation's depth and cost, measured once per document and variant: Apollo keeps one
 * parsed, validated document per query text (its document store), so the same screen asked
 * again is the same object here, and walking it again would give the same numbers.
 */
function measure(op: Parameters<typeof checkOperation>[2], maxDepth: number): Measured {
  let variants = measuredOf.get(op.document);
  if (!variants) measuredOf.set(op.document, (variants = new Map()));
  const key = `${op.operationName ?? ''}\n${JSON.stringify(op.variables ?? {})}`;
  let measured = variants.get(key);
  if (measured) return measured;
  // The whole document was parsed and validated already: measuring it all costs no more.
  const depth = operationDepth(op.document, op.operation);
  let cost: number | undefined;
  // Too deep is refused as such: its cost, which could take long to walk, is not measured.
  if (depth <= maxDepth)
    try {
      cost = operationCost({
        schema: op.schema,
        document: op.document,
        operationName: op.operationName,
        variables: op.variables,
        defaultPageSize: DEFAULT_LIMIT,
      });
    } catch {
      cost = undefined;
    }
  measured = { depth, cost };
  if (variants.size >= VARIANTS_PER_DOCUMENT) variants.delete(variants.keys().next().value!);
  variants.set(key, measured);
  return measured;
}

function refusal(
  message: string,
  code: string,
  status: number,
  details: Record<string, number>,
  headers?: HeaderMap,
) {
  return new graphqlCjs.GraphQLError(message, {
    extensions: { code, ...details, http: { status, ...(headers ? { headers } : {}) } },
  });
}

/**
 * graphql-ws' `onOperation`: the same checks for a subscription (the Apollo plugin sees HTTP
 * requests only). Refused, the subscription ends at once with the error (depth, cost or rate
 * limit, as over HTTP) and nothing is sent from it.
 */
export function subscriptionProtection(limits: ProtectionLimits, counters: CounterStore) {
  return async (
    ctx: { extra: unknown },
    _id: string,
    _payload: unknown,
    args: {
      schema: Parameters<typeof operationCost>[0]['schema'];
      document: Parameters<typeof operationDepth>[0];
      operationName?: string | null;
      variableValues?: Record<string, unknown> | null;
    },
    result: unknown,
  ) => {
    const operation = graphqlCjs.getOperationAST(args.document, args.operationName);
    if (!operation) return undefined;
    try {
      await checkOperation(limits, counters, {
        document: args.document,
        operation,
        schema: args.schema,
        operationName: args.operationName,
        variables: args.variableValues ?? undefined,
        req: { user: (ctx.extra as { user?: Request['user'] }).user } as Request,
      });
      return undefined;
    } catch (error) {
      await (result as AsyncIterator<unknown>).return?.();
      const { http: _http, ...extensions } = (error as InstanceType<typeof graphqlCjs.GraphQLError>)
        .extensions;
      return { errors: [new graphqlCjs.GraphQLError((error as Error).message, { extensions })] };
    }
  };
}
