import { timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AccessService,
  ConflictProblem,
  CounterStore,
  NotFoundProblem,
  type PageOf,
  TooManyRequestsProblem,
  UnprocessableProblem,
  type Principal,
} from '#porch/core';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { TasksAccess } from '../tasks-access.js';
import type { AddMemberDto } from './dto/add-member.dto.js';
import type { CreateGroupDto } from './dto/create-group.dto.js';
import {
  GroupRole,
  Membership,
  toGroupMemberResponse,
  toGroupResponse,
  toGroupTaskResponse,
  type GroupMemberResponseDto,
  type GroupResponseDto,
  type GroupTaskResponseDto,
  type JoinCodeResponseDto,
} from './dto/group-response.dto.js';
import type { GroupTasksQueryDto, ListGroupsQueryDto } from './dto/list-groups-query.dto.js';
import { MembershipStatus } from './group-member.entity.js';
import { GroupsRepository } from './groups.repository.js';
import { newJoinCode, normalizeJoinCode } from './join-code.js';

/** Wrong join codes a user may try in an hour, over all groups (50-bit codes: plenty). */
export const JOIN_ATTEMPTS_PER_HOUR = 10;

const noGroupWithCode = () => new NotFoundProblem('No group with this id and join code');

/**
 * Groups (the app's "synchronization"): who sees whose tasks, with the consent of each member.
 * Permissions are the routes' (`group.read`, `group.members`, `group.manage`: TasksAccess,
 * through AccessService); a method looks up the caller's place in the group (404 if it is gone).
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly groupRepository: GroupsRepository,
    private readonly taskRepository: TasksRepository,
    private readonly tasksAccess: TasksAccess,
    private readonly access: AccessService,
    private readonly counters: CounterStore,
  ) {}

  /** A new group owned by the caller, with a join code; 409 if they own one of that name. */
  async create(owner: Principal, dto: CreateGroupDto): Promise<GroupResponseDto> {
    const ownerId = owner.id;
    const now = new Date();
    const id = uuidv7();
    const joinCode = newJoinCode();
    try {
      await this.groupRepository.insertGroup({ id, ownerId, name: dto.name, joinCode, now });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictProblem(`You already own a group named "${dto.name}"`);
      throw error;
    }
    return toGroupResponse({
      id,
      name: dto.name,
      ownerId,
      isOwner: true,
      membership: Membership.Owner,
      memberCount: 1,
      joinCode,
      createdAt: now,
    });
  }

  /** Groups the caller owns or has a membership of, invitations included (with their status). */
  async list(principal: Principal, q: ListGroupsQueryDto): Promise<PageOf<GroupResponseDto>> {
    const { count, results } = await this.groupRepository.pageFor(principal.id, q);
    return { count, results: results.map(toGroupResponse) };
  }

  /** One group (`group.read`: its owner, its members, whoever it has invited, to decide). */
  async get(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    return this.read(principal, groupId);
  }

  /**
   * The owner first, then members in the order they joined. Members see who accepted; the
   * owner also sees pending and declined invitations.
   */
  async members(
    principal: Principal,
    groupId: string,
    q: { limit: number; offset: number },
  ): Promise<PageOf<GroupMemberResponseDto>> {
    const group = await this.tasksAccess.found(principal, groupId);
    // Invitations are the owner's business; members see who is in.
    const { count, results } = await this.groupRepository.membersPage(groupId, group.isOwner, q);
    return { count, results: results.map(toGroupMemberResponse) };
  }

  /**
   * Owner only: invites a user, who is a pending member until they accept. 404 for an unknown,
   * deleted or inactive user; 409 if already a member or invited, or if they declined (the
   * unique constraint decides under concurrency).
   */
  async addMember(
    principal: Principal,
    groupId: string,
    dto: AddMemberDto,
  ): Promise<GroupMemberResponseDto> {
    const group = await this.tasksAccess.found(principal, groupId);
    const user = await this.groupRepository.findInvitee(dto.userId.toLowerCase());
    if (!user) throw new NotFoundProblem('User not found');
    if (user.id === group.ownerId)
      throw new ConflictProblem('The owner is a member of their group already');
    const now = new Date();
    if (!(await this.groupRepository.insertInvitation(group.id, user.id, now))) {
      const status = await this.groupRepository.membershipStatus(group.id, user.id);
      throw new ConflictProblem(
        status === MembershipStatus.Declined
          ? 'The user declined an invitation to this group (they can still join with its code)'
          : status === MembershipStatus.Pending
            ? 'The user has been invited to this group already'
            : 'The user is a member of this group already',
        { currentStatus: status },
      );
    }
    return {
      id: user.id,
      name: user.name,
      role: GroupRole.Member,
      status: MembershipStatus.Pending,
      joinedAt: null,
    };
  }

  /** The invitee says yes (also after declining): from now on the group sees their tasks. */
  async accept(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    const group = await this.tasksAccess.found(principal, groupId);
    if (group.isOwner) throw new ConflictProblem('You own this group');
    await this.groupRepository.accept(group.id, principal.id);
    return this.read(principal, group.id);
  }

  /** The invitee says no; a member who changed their mind leaves instead (409). */
  async decline(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    const group = await this.tasksAccess.found(principal, groupId);
    if (group.isOwner) throw new ConflictProblem('You own this group');
    const changed = await this.groupRepository.decline(group.id, principal.id);
    if (!changed)
      throw new ConflictProblem(
        'You are a member of this group: leave it instead (DELETE /groups/{id}/members/me)',
        { currentStatus: MembershipStatus.Accepted },
      );
    return this.read(principal, group.id);
  }

  /**
   * Joins with the code the owner shared: an accepted membership at once, whether or not the
   * user was invited (or declined). A wrong code, or none set, is the same 404 as an unknown
   * group; each try first takes one of the caller's JOIN_ATTEMPTS_PER_HOUR (429 past them).
   */
  async join(principal: Principal, groupId: string, typed: string): Promise<GroupResponseDto> {
    const userId = principal.id;
    const key = `group-join:${userId}`;
    if ((await this.counters.hit(key, 3600)) > JOIN_ATTEMPTS_PER_HOUR) {
      const { retryAfter } = await this.counters.get(key);
      throw new TooManyRequestsProblem(retryAfter, 'Too many join codes tried; try again later');
    }
    const group = await this.groupRepository.findJoinTarget(groupId);
    const code = normalizeJoinCode(typed);
    if (!group?.joinCode || !code || !sameCode(group.joinCode, code)) throw noGroupWithCode();
    await this.counters.reset(key);
    if (group.ownerId === userId) return this.read(principal, group.id);
    await this.groupRepository.joinAccepted(group.id, userId);
    return this.read(principal, group.id);
  }

  /** Owner: a new join code (the old one stops working). */
  async rotateJoinCode(principal: Principal, groupId: string): Promise<JoinCodeResponseDto> {
    const group = await this.tasksAccess.found(principal, groupId);
    const joinCode = newJoinCode();
    await this.groupRepository.setJoinCode(group.id, joinCode);
    return { joinCode };
  }

  /** Owner: turns joining by code off (members then join only by accepting an invitation). */
  async disableJoinCode(principal: Principal, groupId: string): Promise<void> {
    const group = await this.tasksAccess.found(principal, groupId);
    await this.groupRepository.clearJoinCode(group.id);
  }

  /**
   * Owner: removes a member or cancels an invitation. Anyone else: leaves, or drops their
   * invitation (only themself, `me` naming the caller; anyone else is `group.removeMembers`).
   * The owner cannot leave.
   */
  async removeMember(principal: Principal, groupId: string, target: string): Promise<void> {
    const targetId = target === 'me' ? principal.id : target.toLowerCase();
    if (targetId !== principal.id)
      await this.access.require(principal, 'group.removeMembers', groupId);
    const group = await this.tasksAccess.found(principal, groupId);
    if (targetId === group.ownerId)
      throw new UnprocessableProblem('The owner cannot leave their own group');
    const removed = await this.groupRepository.removeMembership(group.id, targetId);
    if (!removed) throw new NotFoundProblem('The user is not a member of this group');
  }

  /**
   * Tasks of the group's owner and accepted members, excluding the caller's own and those of
   * deleted accounts; `?since=` compares the time the server stored them. Pending and declined
   * invitees' tasks never appear: joining takes their consent.
   */
  async tasks(
    principal: Principal,
    groupId: string,
    q: GroupTasksQueryDto,
  ): Promise<PageOf<GroupTaskResponseDto>> {
    const group = await this.tasksAccess.found(principal, groupId);
    const { count, results } = await this.taskRepository.pageOfGroup(group.id, principal.id, q);
    return { count, results: results.map(toGroupTaskResponse) };
  }

  private async read(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    const row = await this.groupRepository.findForCaller(groupId, principal.id);
    if (!row) throw new NotFoundProblem('Group not found');
    return toGroupResponse(row);
  }
}

function sameCode(stored: string, given: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
