import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Request } from 'express';
import { HostingStatus, UsersService, type PublicProfileDto } from '#porch/accounts';
import { PartiesService, type InviteCounts, type PartyResponseDto } from '#porch/parties';
import { NotFoundProblem } from '#porch/core';
import { originOf } from './context.js';

/** A user as a relation yields it: the public profile, its role resolved on demand. */
export type UserNode = Omit<PublicProfileDto, 'role'> & { role?: PublicProfileDto['role'] };

/**
 * The per-request DataLoaders: each batches the lookups one GraphQL response needs (an invite's
 * party, a party's host…) into one SQL statement per kind and tick, and caches them for that
 * request only. The batch functions are the services' own (their visibility rules included).
 */
export interface Loaders {
  /** Users visible to the caller (public profiles), by id; null when not visible. */
  user: DataLoader<string, UserNode | null>;
  /** Whether each user hosts an upcoming party (their `role`). */
  hosting: DataLoader<string, boolean>;
  /** Parties by id (the caller reached them through something they may see). */
  party: DataLoader<string, PartyResponseDto | null>;
  /** A party's invites per status. */
  inviteCounts: DataLoader<string, InviteCounts>;
}

/** A user the caller may see, through the request's loader; else NOT_FOUND. */
export async function visibleUser(ctx: { loaders: Loaders }, id: string): Promise<UserNode> {
  const user = await ctx.loaders.user.load(id);
  if (!user) throw new NotFoundProblem('No such user');
  return user;
}

@Injectable()
export class LoadersFactory {
  constructor(
    private readonly users: UsersService,
    private readonly parties: PartiesService,
    private readonly hostingStatus: HostingStatus,
  ) {}

  create(req: Request): Loaders {
    const origin = originOf(req);
    return {
      user: new DataLoader(async (ids) => {
        // Users are for signed-in callers only (as REST's /users/:id).
        if (!req.user) return ids.map(() => null);
        const found = await this.users.publicProfilesOf(req.user, ids, origin);
        return ids.map((id) => found.get(id) ?? null);
      }),
      hosting: new DataLoader(async (ids) => {
        const hosts = await this.hostingStatus.hostingUserIds(ids);
        return ids.map((id) => hosts.has(id));
      }),
      party: new DataLoader(async (ids) => {
        const found = await this.parties.responsesOf(ids, origin);
        return ids.map((id) => found.get(id) ?? null);
      }),
      inviteCounts: new DataLoader(async (ids) => {
        const counts = await this.parties.inviteCounts([...ids]);
        return ids.map((id) => counts.get(id)!);
      }),
    };
  }
}
