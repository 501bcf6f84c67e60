import { Module } from '@nestjs/common';
import { AppConfig, DatabaseServer } from '#porch/core';
import { InvitesModule } from '#porch/invites';
import { SubscriptionConnections } from './connections.js';
import { InviteEventsBridge, PUB_SUB_HANDLE } from './invite-events.bridge.js';
import { InviteSubscriptionsResolver } from './invite-subscriptions.resolver.js';
import { createPubSub, type ClosablePubSub, PUB_SUB } from './pubsub.js';

/**
 * GraphQL subscriptions: the authenticated WebSockets, the PubSub between instances (Redis or
 * PostgreSQL), the invite events sent over it.
 */
@Module({
  imports: [InvitesModule],
  providers: [
    {
      provide: PUB_SUB_HANDLE,
      inject: [AppConfig, DatabaseServer],
      useFactory: (config: AppConfig, db: DatabaseServer) => createPubSub(config.REDIS_URL, db.url),
    },
    {
      provide: PUB_SUB,
      inject: [PUB_SUB_HANDLE],
      useFactory: (handle: ClosablePubSub) => handle.engine,
    },
    SubscriptionConnections,
    InviteEventsBridge,
    InviteSubscriptionsResolver,
  ],
  exports: [SubscriptionConnections, PUB_SUB],
})
export class RealtimeModule {}
