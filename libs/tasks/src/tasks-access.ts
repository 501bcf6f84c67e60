import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ForbiddenProblem, NotFoundProblem, rawQuery } from '#porch/core';
import { MembershipStatus } from './groups/group-member.entity.js';

/** A group as seen by one caller who may see it. */
export interface GroupAccess {
  id: string;
  ownerId: string;
  isOwner: boolean;
  /** The caller's membership: null for the owner (who needs none). */
  status: MembershipStatus | null;
}

/**
 * SQL: whether user `userId` (a `?` placeholder) is in group `g` for the purpose of seeing its
 * members' tasks — the owner, or a member who accepted. Every read of members' tasks (the
 * API's group tasks, the CSV exports' `groupId`) goes through this one definition.
 */
export const consentingMember = (groupAlias: string, userColumn: string) =>
  `(${groupAlias}.owner_id = ${userColumn} or exists (
     select 1 from group_members cm where cm.group_id = ${groupAlias}.id
        and cm.user_id = ${userColumn} and cm.status = '${MembershipStatus.Accepted}'))`;

/**
 * The object-level rules of the measurements app, in one place:
 * - sessions and tasks: a caller reads only their own (every query filters on `user_id`); anyone
 *   else's is "not found" (404), and a session id used by someone else is a 409 on upload;
 * - groups: the owner counts as a member. Membership needs consent: the owner's invitation is
 *   pending until the invitee accepts, or the user joins with the group's code. Only the owner
 *   and accepted members see the members and their tasks; an invitee sees the group itself (to
 *   decide); anyone else gets 404 (a group's existence is not revealed);
 * - membership: only the owner invites, removes others and manages the join code (403 for
 *   members); anyone with a membership may leave (or drop an invitation); the owner cannot leave.
 */
@Injectable()
export class TasksAccess {
  constructor(private readonly em: EntityManager) {}

  /** The group with the caller's place in it, if they own it or have any membership; else 404. */
  async groupForInvitee(userId: string, groupId: string): Promise<GroupAccess> {
    const [row] = await rawQuery<GroupAccess>(
      this.em.fork(),
      `select g.id, g.owner_id as "ownerId", g.owner_id = ? as "isOwner", m.status
         from groups g left join group_members m on m.group_id = g.id and m.user_id = ?
        where g.id = ? and (g.owner_id = ? or m.id is not null)`,
      [userId, userId, groupId, userId],
    );
    if (!row) throw new NotFoundProblem('Group not found');
    return row;
  }

  /** The group if the caller owns it or accepted its membership; 404 otherwise. */
  async groupForMember(userId: string, groupId: string): Promise<GroupAccess> {
    const group = await this.groupForInvitee(userId, groupId);
    if (!group.isOwner && group.status !== MembershipStatus.Accepted)
      throw new NotFoundProblem('Group not found');
    return group;
  }

  /** The group if the caller owns it; 404 for outsiders and invitees, 403 for members. */
  async groupForOwner(userId: string, groupId: string): Promise<GroupAccess> {
    const group = await this.groupForMember(userId, groupId);
    if (!group.isOwner) throw new ForbiddenProblem("Only the group's owner can do this");
    return group;
  }

  /** Owner: anyone but themself (checked by the caller). Anyone else: only themself. */
  async groupForRemoval(userId: string, groupId: string, targetId: string): Promise<GroupAccess> {
    const group = await this.groupForInvitee(userId, groupId);
    if (!group.isOwner && targetId !== userId)
      throw new ForbiddenProblem("Only the group's owner can remove other members");
    return group;
  }
}
