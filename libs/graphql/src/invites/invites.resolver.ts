import {
  Args,
  Context,
  Info,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Authenticated, NotFoundProblem } from '#porch/core';
import {
  INVITE_PARTY_FIELDS,
  INVITE_TRANSITIONS,
  InvitesService,
  type InviteAction,
  type InviteResponseDto,
} from '#porch/invites';
import { UserType } from '../accounts/user.types.js';
import { IdArg } from '../common.js';
import { FromParent } from '../from-parent.js';
import { originOf, principalOf, type GraphqlContext } from '../context.js';
import { visibleUser, type UserNode } from '../loaders.js';
import { pageOf, toConnection, type ConnectionOf } from '../pagination.js';
import { PartyType } from '../parties/party.types.js';
import { selectsOnly, USER_SUMMARY_FIELDS } from '../selection.js';
import {
  CreateInviteInput,
  InviteConnection,
  InvitesArgs,
  InviteType,
  UpdateInviteInput,
} from './invite.types.js';

/** What an invite holds of its party (REST's InvitePartyDto). */
const PARTY_SUMMARY_FIELDS: ReadonlySet<string> = new Set(['__typename', ...INVITE_PARTY_FIELDS]);

/** Invites and their transitions: InvitesService's (the same state machine and access). */
@Resolver(() => InviteType)
export class InvitesResolver {
  constructor(private readonly service: InvitesService) {}

  @Query(() => InviteConnection, {
    description:
      'Your invites as a guest, by first entry (the Invited and Confirmed screens); parties ' +
      'whose last entry has passed only with `includePast`',
  })
  @Authenticated()
  async invites(
    @Args() args: InvitesArgs,
    @Context() ctx: GraphqlContext,
  ): Promise<ConnectionOf<InviteType>> {
    const at = pageOf(args);
    const { includePast, ...filters } = args;
    const page = await this.service.listMine(
      principalOf(ctx),
      { ...filters, ...at, include: includePast ? 'past' : undefined },
      originOf(ctx.req),
    );
    return toConnection(page, at);
  }

  @Query(() => InviteType, { description: "An invite, for its guest or its party's host" })
  @Authenticated({ permission: 'invite.read', param: 'id' })
  invite(@IdArg() id: string, @Context() ctx: GraphqlContext): Promise<InviteResponseDto> {
    return this.service.get(id, originOf(ctx.req));
  }

  @Mutation(() => InviteType, { description: 'Host only: invite a user to your party' })
  @Authenticated()
  createInvite(
    @Args('input', { type: () => CreateInviteInput }) input: CreateInviteInput,
    @Context() ctx: GraphqlContext,
  ): Promise<InviteResponseDto> {
    return this.service.create(principalOf(ctx), input, originOf(ctx.req));
  }

  @Mutation(() => InviteType, { description: 'Guest only: change your plus-ones' })
  @Authenticated({ permission: 'invite.respond', param: 'id' })
  updateInvite(
    @IdArg() id: string,
    @Args('input', { type: () => UpdateInviteInput }) input: UpdateInviteInput,
    @Context() ctx: GraphqlContext,
  ): Promise<InviteResponseDto> {
    return this.service.update(id, input, originOf(ctx.req));
  }

  @Mutation(() => InviteType, { description: 'Guest: accept an invite (INVITED → CONFIRMED)' })
  @Authenticated({ permission: INVITE_TRANSITIONS.confirm.permission, param: 'id' })
  confirmInvite(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.move(ctx, id, 'confirm');
  }

  @Mutation(() => InviteType, {
    description: 'Guest or host: cancel an invite (INVITED or CONFIRMED → CANCELED)',
  })
  @Authenticated({ permission: INVITE_TRANSITIONS.cancel.permission, param: 'id' })
  cancelInvite(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.move(ctx, id, 'cancel');
  }

  @Mutation(() => InviteType, {
    description: 'Host: check a guest in while the party is live (CONFIRMED → CHECKED_IN)',
  })
  @Authenticated({ permission: INVITE_TRANSITIONS['check-in'].permission, param: 'id' })
  checkInInvite(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.move(ctx, id, 'check-in');
  }

  @Mutation(() => InviteType, {
    description: 'Host: a confirmed guest did not come (CONFIRMED → NO_SHOW, once started)',
  })
  @Authenticated({ permission: INVITE_TRANSITIONS['no-show'].permission, param: 'id' })
  markInviteNoShow(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.move(ctx, id, 'no-show');
  }

  /**
   * The invite holds its party in brief (REST's InvitePartyDto, its host in brief too): a
   * selection within that is answered from it, no query; anything more loads the party.
   */
  @ResolveField('party', () => PartyType)
  @FromParent(
    (_, info) =>
      selectsOnly(info, PARTY_SUMMARY_FIELDS) && selectsOnly(info, USER_SUMMARY_FIELDS, ['host']),
  )
  async party(
    @Parent() invite: InviteType,
    @Context() ctx: GraphqlContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PartyType> {
    // The invite knows its party's host: when the host's full profile is asked for, it joins
    // this tick's batch of users (the guests'), rather than a batch of its own later.
    if (!selectsOnly(info, USER_SUMMARY_FIELDS, ['host']))
      void ctx.loaders.user.load(invite.party.host.id).catch(() => null);
    const party = await ctx.loaders.party.load(invite.party.id);
    if (!party) throw new NotFoundProblem('No such party');
    return party;
  }

  @ResolveField('guest', () => UserType)
  @FromParent((_, info) => selectsOnly(info, USER_SUMMARY_FIELDS))
  guest(@Parent() invite: InviteType, @Context() ctx: GraphqlContext): Promise<UserNode> {
    return visibleUser(ctx, invite.guest.id);
  }

  private move(ctx: GraphqlContext, id: string, action: InviteAction) {
    return this.service.transition(principalOf(ctx), id, action, originOf(ctx.req));
  }
}
