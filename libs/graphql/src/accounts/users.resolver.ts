import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { UsersService } from '#porch/accounts';
import { Authenticated, ValidationProblem } from '#porch/core';
import { IdArg } from '../common.js';
import { FromParent } from '../from-parent.js';
import { originOf, principalOf, type GraphqlContext } from '../context.js';
import type { UserNode } from '../loaders.js';
import { pageOf, toConnection, type ConnectionOf } from '../pagination.js';
import { UpdateMeInput, UsersArgs } from './accounts.inputs.js';
import { MeType, UserConnection, UserType } from './user.types.js';

/** A photo is at most 2 MiB (the service checks its type and size, as for REST). */
const PHOTO_READ_LIMIT = 5 * 1024 * 1024;

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly service: UsersService) {}

  @Query(() => MeType, { description: 'Your own profile' })
  @Authenticated()
  me(@Context() ctx: GraphqlContext): Promise<MeType> {
    return this.service.me(principalOf(ctx).id, originOf(ctx.req));
  }

  @Query(() => UserConnection, {
    description: 'Active users by name (staff: also by email), and department',
  })
  @Authenticated()
  async users(
    @Args() args: UsersArgs,
    @Context() ctx: GraphqlContext,
  ): Promise<ConnectionOf<UserType>> {
    const at = pageOf(args);
    const page = await this.service.list(principalOf(ctx), { ...args, ...at }, originOf(ctx.req));
    return toConnection(page, at);
  }

  @Query(() => UserType, { description: "A user's public profile" })
  @Authenticated({ permission: 'user.read', param: 'id' })
  user(@IdArg() id: string, @Context() ctx: GraphqlContext): Promise<UserType> {
    return this.service.profile(id, originOf(ctx.req));
  }

  @Mutation(() => MeType, {
    description: 'Change your profile (a new email waits for its emailed code)',
  })
  @Authenticated()
  updateMe(
    @Args('input', { type: () => UpdateMeInput }) input: UpdateMeInput,
    @Context() ctx: GraphqlContext,
  ): Promise<MeType> {
    return this.service.updateMe(principalOf(ctx).id, input, originOf(ctx.req));
  }

  @Mutation(() => MeType, {
    description:
      'Set your photo: a file (GraphQL multipart request; send `apollo-require-preflight: true`). ' +
      'JPEG, PNG or WebP by content, at most 2 MiB.',
  })
  @Authenticated()
  async setPhoto(
    // `unknown`, not Promise<FileUpload>: the validation pipe would try to build a Promise.
    @Args('photo', { type: () => GraphQLUpload }) photo: unknown,
    @Context() ctx: GraphqlContext,
  ): Promise<MeType> {
    const buffer = await readUpload(await (photo as Promise<FileUpload>));
    return this.service.setPhoto(principalOf(ctx).id, { buffer }, undefined, originOf(ctx.req));
  }

  @Mutation(() => Boolean, { description: 'Remove your photo (true, or there was none)' })
  @Authenticated()
  async removePhoto(@Context() ctx: GraphqlContext): Promise<boolean> {
    await this.service.removePhoto(principalOf(ctx).id);
    return true;
  }

  /** Known when the user came with it (a profile); else batched: one HostingStatus query per response. */
  @ResolveField('role', () => String)
  @FromParent((user) => Boolean(user.role))
  async role(@Parent() user: UserNode, @Context() ctx: GraphqlContext): Promise<string> {
    return (await ctx.loaders.hosting.load(user.id)) ? 'host' : 'guest';
  }
}

/** The upload's bytes; past the limit it is refused as REST refuses a large photo. */
async function readUpload(upload: FileUpload): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of upload.createReadStream()) {
      size += (chunk as Buffer).length;
      if (size > PHOTO_READ_LIMIT) break;
      chunks.push(chunk as Buffer);
    }
  } catch {
    // graphql-upload ends the stream with an error past maxFileSize.
    size = PHOTO_READ_LIMIT + 1;
  }
  if (size > PHOTO_READ_LIMIT)
    throw new ValidationProblem([{ field: 'photo', message: 'photo must be at most 2 MiB' }]);
  return Buffer.concat(chunks);
}
