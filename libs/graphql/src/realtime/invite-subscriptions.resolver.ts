import { Inject } from '@nestjs/common';
import { Resolver, Subscription } from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import { AccessService, Authenticated, ProblemException } from '#porch/core';
import { type InviteEvent, type InviteResponseDto, InvitesService } from '#porch/invites';
import { originOf, type GraphqlContext } from '../context.js';
import { InviteType } from '../invites/invite.types.js';
import { SubscriptionConnections } from './connections.js';
import { INVITE_EVENTS, PUB_SUB } from './pubsub.js';

const callerOf = (ctx: GraphqlContext) => ctx.socket?.user?.id;

/** A subscription's `resolve`: each event read afresh as the caller may see it now. */
function deliverEvent(
  this: InviteSubscriptionsResolver,
  event: InviteEvent,
  _args: unknown,
  ctx: GraphqlContext,
): Promise<InviteResponseDto> {
  return this.deliver(event, ctx);
}

/**
 * The party app's live screens: invites as they are made and as they move. Every instance hears
 * every invite event (PubSub); each subscription keeps those of its caller only (`filter`),
 * then reads the invite as its caller (InvitesService.get: the same access rule as a query), so
 * nobody receives anyone else's invites.
 */
@Resolver()
export class InviteSubscriptionsResolver {
  constructor(
    @Inject(PUB_SUB) private readonly pubsub: PubSubEngine,
    private readonly invites: InvitesService,
    private readonly connections: SubscriptionConnections,
    private readonly access: AccessService,
  ) {}

  @Subscription(() => InviteType, {
    description: 'Invites made to you (as a guest), as they are made',
    filter: (event: InviteEvent, _args: unknown, ctx: GraphqlContext) =>
      event.kind === 'created' && event.guestId === callerOf(ctx),
    resolve: deliverEvent,
  })
  @Authenticated()
  inviteReceived(): AsyncIterableIterator<InviteEvent> {
    return this.pubsub.asyncIterableIterator<InviteEvent>(INVITE_EVENTS);
  }

  @Subscription(() => InviteType, {
    description:
      'Changes to invites where you are the guest or the host: every status move (confirm, ' +
      'cancel, check-in, no-show) and plus-ones change',
    filter: (event: InviteEvent, _args: unknown, ctx: GraphqlContext) =>
      event.kind === 'changed' && [event.guestId, event.hostId].includes(callerOf(ctx) ?? ''),
    resolve: deliverEvent,
  })
  @Authenticated()
  inviteChanged(): AsyncIterableIterator<InviteEvent> {
    return this.pubsub.asyncIterableIterator<InviteEvent>(INVITE_EVENTS);
  }

  /**
   * The invite as its caller may see it now. The caller's token is checked again first: one
   * revoked (log-out) or expired since the connection opened closes it instead. A subscription's
   * context (and its DataLoaders) lasts as long as the subscription: the loaders are emptied per
   * event, so a party or guest changed since the last event is read again, not served stale.
   */
  async deliver(event: InviteEvent, ctx: GraphqlContext): Promise<InviteResponseDto> {
    for (const loader of Object.values(ctx.loaders)) loader.clearAll();
    const principal = ctx.socket && (await this.connections.stillSignedIn(ctx.socket));
    if (!principal)
      throw new ProblemException(401, 'The bearer token is invalid, expired or revoked');
    await this.access.require(principal, 'invite.read', event.inviteId);
    return this.invites.get(event.inviteId, originOf(ctx.req));
  }
}
