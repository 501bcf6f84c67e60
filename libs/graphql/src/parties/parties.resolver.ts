import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PartiesService, type PartyResponseDto } from '#porch/parties';
import { AccessService, Authenticated } from '#porch/core';
import { UserConnection, UserType } from '../accounts/user.types.js';
import { IdArg } from '../common.js';
import { FromParent } from '../from-parent.js';
import { originOf, principalOf, type GraphqlContext } from '../context.js';
import { visibleUser, type UserNode } from '../loaders.js';
import { pageOf, toConnection, type ConnectionOf } from '../pagination.js';
import { selectsOnly, USER_SUMMARY_FIELDS } from '../selection.js';
import {
  CreatePartyInput,
  GuestListConnection,
  GuestListEntryType,
  GuestsArgs,
  InvitableArgs,
  InviteCountsType,
  PartiesArgs,
  PartyConnection,
  PartyType,
  UpdatePartyInput,
} from './party.types.js';

/** Parties: PartiesService's, its access rules included (404 unseen, 403 not the host). */
@Resolver(() => PartyType)
export class PartiesResolver {
  constructor(
    private readonly service: PartiesService,
    private readonly access: AccessService,
  ) {}

  @Query(() => PartyType, { description: 'A party: its host, its guests, staff' })
  @Authenticated({ permission: 'party.read', param: 'id' })
  async party(@IdArg() id: string, @Context() ctx: GraphqlContext): Promise<PartyType> {
    return primed(ctx, await this.service.get(id, originOf(ctx.req)));
  }

  @Query(() => PartyConnection, {
    description: "The parties you host (staff: another user's with `userId`), by first entry",
  })
  @Authenticated()
  async parties(
    @Args() args: PartiesArgs,
    @Context() ctx: GraphqlContext,
  ): Promise<ConnectionOf<PartyType>> {
    const principal = principalOf(ctx);
    const userId = args.userId ?? principal.id;
    await this.access.require(principal, 'user.parties', userId);
    const at = pageOf(args);
    const page = await this.service.listForUser(userId, { ...args, ...at }, originOf(ctx.req));
    return toConnection(page, at, (party) => primed(ctx, party));
  }

  @Mutation(() => PartyType, {
    description: 'Host a party (one whose last entry is ahead at a time)',
  })
  @Authenticated()
  async createParty(
    @Args('input', { type: () => CreatePartyInput }) input: CreatePartyInput,
    @Context() ctx: GraphqlContext,
  ): Promise<PartyType> {
    return primed(ctx, await this.service.create(principalOf(ctx), input, originOf(ctx.req)));
  }

  @Mutation(() => PartyType, { description: 'Host only: change a party that is not over' })
  @Authenticated({ permission: 'party.update', param: 'id' })
  async updateParty(
    @IdArg() id: string,
    @Args('input', { type: () => UpdatePartyInput }) input: UpdatePartyInput,
    @Context() ctx: GraphqlContext,
  ): Promise<PartyType> {
    return primed(ctx, await this.service.update(id, input, originOf(ctx.req)));
  }

  @Mutation(() => Boolean, { description: 'Host only: cancel a party (its open invites too)' })
  @Authenticated({ permission: 'party.delete', param: 'id' })
  async deleteParty(@IdArg() id: string): Promise<boolean> {
    await this.service.remove(id);
    return true;
  }

  /** Every party holds its host in brief: a selection within that needs no query. */
  @ResolveField('host', () => UserType)
  @FromParent((_, info) => selectsOnly(info, USER_SUMMARY_FIELDS))
  host(@Parent() party: PartyType, @Context() ctx: GraphqlContext): Promise<UserNode> {
    return visibleUser(ctx, party.host.id);
  }

  @ResolveField('inviteCounts', () => InviteCountsType, {
    description: 'Invites per status (guests who deleted their account not counted)',
  })
  inviteCounts(@Parent() party: PartyType, @Context() ctx: GraphqlContext) {
    return ctx.loaders.inviteCounts.load(party.id);
  }

  @ResolveField('guests', () => GuestListConnection, {
    description: "Host only: the party's invites with each guest's profile",
  })
  async guests(
    @Parent() party: PartyType,
    @Args() args: GuestsArgs,
    @Context() ctx: GraphqlContext,
  ): Promise<ConnectionOf<GuestListEntryType>> {
    await this.access.require(principalOf(ctx), 'party.guests', party.id);
    const at = pageOf(args);
    const page = await this.service.guests(party.id, { ...args, ...at }, originOf(ctx.req));
    return toConnection(page, at);
  }

  @ResolveField('invitable', () => UserConnection, {
    description: 'Host only: active users not invited yet, by name',
  })
  async invitable(
    @Parent() party: PartyType,
    @Args() args: InvitableArgs,
    @Context() ctx: GraphqlContext,
  ): Promise<ConnectionOf<UserType>> {
    await this.access.require(principalOf(ctx), 'party.guests', party.id);
    const at = pageOf(args);
    const page = await this.service.invitable(
      principalOf(ctx),
      party.id,
      { ...args, ...at },
      originOf(ctx.req),
    );
    return toConnection(page, at);
  }
}

/** A party as the service answered it: its invite counts are known, so the loader needs none. */
function primed(ctx: GraphqlContext, party: PartyResponseDto): PartyType {
  ctx.loaders.inviteCounts.prime(party.id, party.inviteCounts);
  return party;
}
