import { Context, Query, Resolver } from '@nestjs/graphql';
import { UsersService } from '#porch/accounts';
import { Authenticated } from '#porch/core';
import { originOf, principalOf, type GraphqlContext } from '../context.js';
import { MeType } from './user.types.js';

@Resolver(() => MeType)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => MeType, { description: 'Your own profile' })
  @Authenticated()
  me(@Context() ctx: GraphqlContext): Promise<MeType> {
    return this.users.me(principalOf(ctx).id, originOf(ctx.req));
  }
}
