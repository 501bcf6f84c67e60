import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  AccessChecker,
  allow,
  forbidden,
  hidden,
  NotFoundProblem,
  rawQuery,
  type AccessDecision,
  type Permission,
  type PermissionChecker,
  type Principal,
} from '#porch/core';
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
 * The measurements app's checker (AccessService):
 * - `session.read`: a caller reads only their own sessions (every query of sessions and tasks
 *   also filters on `user_id`); anyone else's is "not found" (404), and a session id used by
 *   someone else is a 409 on upload;
 * - groups: the owner counts as a member. Membership needs consent: the owner's invitation is
 *   pending until the invitee accepts, or the user joins with the group's code.
 *   `group.read` (the group itself, to decide): the owner and anyone with a membership, even
 *   pending or declined; `group.members` (its members and their tasks): the owner and accepted
 *   members; `group.manage` (invite, the join code): the owner, 403 for members;
 *   `group.removeMembers` (someone else): the owner, 403 for anyone else with a membership
 *   (anyone may leave, or drop an invitation; the owner cannot leave). Anyone else gets 404:
 *   a group's existence is not revealed.
 */
@AccessChecker([
  'session.read',
  'group.read',
  'group.members',
  'group.manage',
  'group.removeMembers',
])
@Injectable()
export class TasksAccess implements PermissionChecker {
  constructor(private readonly em: EntityManager) {}

  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    if (permission === 'session.read') {
      const [row] = id
        ? await rawQuery<{ user_id: string }>(
            this.em,
            'select user_id from sessions where id = ?',
            [id],
          )
        : [];
      return row?.user_id === principal.id ? allow() : hidden('Session not found');
    }
    const group = id ? await this.place(principal, id) : null;
    if (!group) return hidden('Group not found');
    const member = group.isOwner || group.status === MembershipStatus.Accepted;
    switch (permission) {
      case 'group.read':
        return allow();
      case 'group.members':
        return member ? allow() : hidden('Group not found');
      case 'group.manage':
        if (!member) return hidden('Group not found');
        return group.isOwner ? allow() : forbidden("Only the group's owner can do this");
      case 'group.removeMembers':
        return group.isOwner
          ? allow()
          : forbidden("Only the group's owner can remove other members");
      default:
        return hidden('Group not found');
    }
  }

  /** The group with the caller's place in it, if they own it or have any membership; else null. */
  async place(principal: Pick<Principal, 'id'>, groupId: string): Promise<GroupAccess | null> {
    const [row] = await rawQuery<GroupAccess>(
      this.em.fork(),
      `select g.id, g.owner_id as "ownerId", g.owner_id = ? as "isOwner", m.status
         from groups g left join group_members m on m.group_id = g.id and m.user_id = ?
        where g.id = ? and (g.owner_id = ? or m.id is not null)`,
      [principal.id, principal.id, groupId, principal.id],
    );
    return row ?? null;
  }

  /** As `place`, for a caller whose permission the route checked: 404 if it is gone since. */
  async found(principal: Pick<Principal, 'id'>, groupId: string): Promise<GroupAccess> {
    const group = await this.place(principal, groupId);
    if (!group) throw new NotFoundProblem('Group not found');
    return group;
  }
}
