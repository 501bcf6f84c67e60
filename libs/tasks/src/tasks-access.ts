import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ForbiddenProblem, NotFoundProblem } from '#porch/core';
import { query } from './sql.js';

/** A group as seen by one caller who may see it. */
export interface GroupAccess {
  id: string;
  ownerId: string;
  isOwner: boolean;
}

/**
 * The object-level rules of the measurements app, in one place:
 * - sessions and tasks: a caller reads only their own (every query filters on `user_id`); anyone
 *   else's is "not found" (404), and a session id used by someone else is a 409 on upload;
 * - groups: the owner counts as a member. Owner and members see the group, its members and the
 *   members' tasks; anyone else gets 404 (a group's existence is not revealed);
 * - membership: only the owner adds or removes members (403 for other members); a member may
 *   remove themself (leave); the owner cannot leave their own group.
 */
@Injectable()
export class TasksAccess {
  constructor(private readonly em: EntityManager) {}

  /** The group if the caller owns it or is a member; 404 otherwise. */
  async groupForMember(userId: string, groupId: string): Promise<GroupAccess> {
    const [row] = await query<GroupAccess>(
      this.em.fork(),
      `select g.id, g.owner_id as "ownerId", g.owner_id = ? as "isOwner" from groups g
        where g.id = ? and (g.owner_id = ? or exists (
          select 1 from group_members m where m.group_id = g.id and m.user_id = ?))`,
      [userId, groupId, userId, userId],
    );
    if (!row) throw new NotFoundProblem('Group not found');
    return row;
  }

  /** The group if the caller owns it; 404 for outsiders, 403 for members. */
  async groupForOwner(userId: string, groupId: string): Promise<GroupAccess> {
    const group = await this.groupForMember(userId, groupId);
    if (!group.isOwner) throw new ForbiddenProblem("Only the group's owner can change its members");
    return group;
  }

  /** Owner: anyone but themself (checked by the caller). Member: only themself. */
  async groupForRemoval(userId: string, groupId: string, targetId: string): Promise<GroupAccess> {
    const group = await this.groupForMember(userId, groupId);
    if (!group.isOwner && targetId !== userId)
      throw new ForbiddenProblem("Only the group's owner can remove other members");
    return group;
  }
}
