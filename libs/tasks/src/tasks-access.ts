import { Injectable } from '@nestjs/common';
import {
  AccessChecker,
  allow,
  forbidden,
  hidden,
  NotFoundProblem,
  type AccessDecision,
  type Permission,
  type PermissionChecker,
  type Principal,
} from '#porch/core';
import { MembershipStatus } from './groups/group-member.entity.js';
import { GroupsRepository, type GroupAccess } from './groups/groups.repository.js';
import { SessionsRepository } from './sessions/sessions.repository.js';

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
  constructor(
    private readonly sessionRepository: SessionsRepository,
    private readonly groupRepository: GroupsRepository,
  ) {}

  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    if (permission === 'session.read') {
      const userId = id ? await this.sessionRepository.ownerOf(id) : undefined;
      return userId === principal.id ? allow() : hidden('Session not found');
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
    return (await this.groupRepository.placeOf(principal.id, groupId)) ?? null;
  }

  /** As `place`, for a caller whose permission the route checked: 404 if it is gone since. */
  async found(principal: Pick<Principal, 'id'>, groupId: string): Promise<GroupAccess> {
    const group = await this.place(principal, groupId);
    if (!group) throw new NotFoundProblem('Group not found');
    return group;
  }
}
