import { Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { AppConfig, Authenticator, CounterStore, RedisConnection } from '#porch/core';
import { HealthRegionsModule } from '#porch/health-regions';
import { InvitesModule } from '#porch/invites';
import { PartiesModule } from '#porch/parties';
import { TasksModule } from '#porch/tasks';
import { AuthResolver } from './accounts/auth.resolver.js';
import { UsersResolver } from './accounts/users.resolver.js';
import { HealthRegionsResolver } from './health-regions/health-regions.resolver.js';
import { InvitesResolver } from './invites/invites.resolver.js';
import { PartiesResolver } from './parties/parties.resolver.js';
import { GroupsResolver, TasksResolver } from './tasks/tasks.resolver.js';
import { buildGraphqlOptions } from './graphql.options.js';
import { GraphqlArgsNulPipe } from './input-checks.js';
import { LoadersFactory } from './loaders.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { SubscriptionConnections } from './realtime/connections.js';
import { InviteSubscriptionsResolver } from './realtime/invite-subscriptions.resolver.js';
import { PorchApolloDriver } from './upload-driver.js';

/** The resolvers, over the domain modules' services (no rule of their own). */
export const RESOLVERS = [
  UsersResolver,
  AuthResolver,
  PartiesResolver,
  InvitesResolver,
  HealthRegionsResolver,
  TasksResolver,
  GroupsResolver,
];

/** Every resolver of the schema: RESOLVERS and the subscriptions (RealtimeModule provides them). */
export const SCHEMA_RESOLVERS = [...RESOLVERS, InviteSubscriptionsResolver];

@Module({ imports: [PartiesModule], providers: [LoadersFactory], exports: [LoadersFactory] })
class LoadersModule {}

/**
 * GraphQL at `/graphql` (code-first, Apollo over Express 5), beside the REST API: the same
 * services, the same global guards (token, access level, rate limits), the same validation pipe
 * and DTOs, the same problems (as `extensions`).
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: PorchApolloDriver,
      imports: [LoadersModule, RealtimeModule],
      inject: [
        AppConfig,
        LoadersFactory,
        CounterStore,
        Authenticator,
        RedisConnection,
        SubscriptionConnections,
      ],
      // In preview mode (`npm run openapi`) the factory runs with nothing injected.
      useFactory: (
        config: AppConfig | null,
        loaders: LoadersFactory | null,
        counters: CounterStore | null,
        authenticator: Authenticator | null,
        redis: RedisConnection | null,
        connections: SubscriptionConnections | null,
      ) =>
        buildGraphqlOptions({
          config: config ?? new AppConfig(),
          loaders,
          counters: counters ?? undefined,
          authenticator: authenticator ?? undefined,
          redis: redis ?? undefined,
          connections: connections ?? undefined,
        }),
    }),
    LoadersModule,
    RealtimeModule,
    PartiesModule,
    InvitesModule,
    TasksModule,
    HealthRegionsModule,
  ],
  providers: [...RESOLVERS, { provide: APP_PIPE, useClass: GraphqlArgsNulPipe }],
})
export class GraphqlModule {}
