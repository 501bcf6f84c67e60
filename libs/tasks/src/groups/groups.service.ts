import { timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AccessService,
  ConflictProblem,
  CounterStore,
  NotFoundProblem,
  type PageOf,
  queryPage,
  toOrderBy,
  TooManyRequestsProblem,
  UnprocessableProblem,
  rawQuery,
  type Principal,
} from '#porch/core';
import { orderSql } from '../sql.js';
import type { TaskRow } from '../tasks/dto/task-response.dto.js';
import { TASK_COLUMNS, taskFilters, taskOrder } from '../tasks/task-queries.js';
import { consentingMember, TasksAccess } from '../tasks-access.js';
import type { AddMemberDto } from './dto/add-member.dto.js';
import type { CreateGroupDto } from './dto/create-group.dto.js';
import {
  GroupRole,
  MemberStatus,
  Membership,
  toGroupMemberResponse,
  toGroupResponse,
  toGroupTaskResponse,
  type GroupMemberResponseDto,
  type GroupResponseDto,
  type GroupTaskResponseDto,
  type JoinCodeResponseDto,
  type TaskUserDto,
} from './dto/group-response.dto.js';
import type { GroupTasksQueryDto, ListGroupsQueryDto } from './dto/list-groups-query.dto.js';
import { MembershipStatus } from './group-member.entity.js';
import { Group } from './group.entity.js';
import { newJoinCode, normalizeJoinCode } from './join-code.js';

/** Wrong join codes a user may try in an hour, over all groups (50-bit codes: plenty). */
export const JOIN_ATTEMPTS_PER_HOUR = 10;

const ACCEPTED = MembershipStatus.Accepted;

/** Members of group `g` who see and share tasks: its owner and accepted members, not deleted. */
const MEMBER_COUNT = `(
  (select count(*) from users o where o.id = g.owner_id and o.deleted_at is null)
  + (select count(*) from group_members m join users u on u.id = m.user_id
      where m.group_id = g.id and m.status = '${ACCEPTED}' and u.deleted_at is null))::int`;

/** A group's columns for one caller (`?`: their id, three times). */
const GROUP_COLUMNS = `g.id, g.name, g.owner_id as "ownerId", g.owner_id = ? as "isOwner",
  case when g.owner_id = ? then '${Membership.Owner}'
       else (select m.status from group_members m where m.group_id = g.id and m.user_id = ?)
  end as membership,
  ${MEMBER_COUNT} as "memberCount", g.join_code as "joinCode", g.created_at as "createdAt"`;

const noGroupWithCode = () => new NotFoundProblem('No group with this id and join code');

/**
 * Groups (the app's "synchronization"): who sees whose tasks, with the consent of each member.
 * Permissions are the routes' (`group.read`, `group.members`, `group.manage`: TasksAccess,
 * through AccessService); a method looks up the caller's place in the group (404 if it is gone).
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly em: EntityManager,
    private readonly groups: TasksAccess,
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
      await this.em.fork().insert(Group, {
        id,
        owner: ownerId,
        name: dto.name,
        joinCode,
        createdAt: now,
        updatedAt: now,
      });
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
    const userId = principal.id;
    const em = this.em.fork();
    const params: unknown[] = [];
    let visible: string;
    if (q.membership === Membership.Owner) {
      visible = 'g.owner_id = ?';
      params.push(userId);
    } else if (q.membership) {
      visible = `g.id in (select m.group_id from group_members m where m.user_id = ? and m.status = ?)`;
      params.push(userId, q.membership);
    } else {
      visible = `(g.owner_id = ? or g.id in (select m.group_id from group_members m where m.user_id = ?))`;
      params.push(userId, userId);
    }
    const order = orderSql(
      toOrderBy(q.ordering, { createdAt: 'desc' }),
      { name: 'g.name', createdAt: 'g.created_at' },
      'g.id',
    );
    const { count, results } = await queryPage<GroupResponseDto>(
      em,
      {
        columns: GROUP_COLUMNS,
        columnParams: [userId, userId, userId],
        from: `groups g where ${visible}`,
        params,
        orderBy: order,
      },
      q,
    );
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
    const group = await this.groups.found(principal, groupId);
    const em = this.em.fork();
    // Invitations are the owner's business; members see who is in.
    const shown = group.isOwner ? 'true' : `m.status = '${ACCEPTED}'`;
    const from = `(
         select u.id, u.name, '${GroupRole.Owner}' as role, '${MemberStatus.Accepted}' as status,
                g.created_at as "joinedAt", g.created_at as since, 0 as rank
           from groups g join users u on u.id = g.owner_id
          where g.id = ? and u.deleted_at is null
         union all
         select u.id, u.name, '${GroupRole.Member}', m.status,
                case when m.status = '${ACCEPTED}' then coalesce(m.responded_at, m.created_at) end,
                m.created_at, case when m.status = '${ACCEPTED}' then 1 else 2 end
           from group_members m join users u on u.id = m.user_id
          where m.group_id = ? and u.deleted_at is null and ${shown}
       ) x`;
    const { count, results } = await queryPage<GroupMemberResponseDto>(
      em,
      {
        columns: 'x.id, x.name, x.role, x.status, x."joinedAt"',
        from,
        params: [groupId, groupId],
        orderBy: 'x.rank, x."joinedAt", x.since, x.id',
      },
      q,
    );
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
    const group = await this.groups.found(principal, groupId);
    const em = this.em.fork();
    const [user] = await rawQuery<{ id: string; name: string }>(
      em,
      `select id, name from users where id = ? and deleted_at is null and is_active`,
      [dto.userId.toLowerCase()],
    );
    if (!user) throw new NotFoundProblem('User not found');
    if (user.id === group.ownerId)
      throw new ConflictProblem('The owner is a member of their group already');
    const now = new Date();
    const [inserted] = await rawQuery<{ id: string }>(
      em,
      `insert into group_members (id, group_id, user_id, status, created_at, updated_at)
       values (?, ?, ?, '${MembershipStatus.Pending}', ?, ?)
       on conflict (group_id, user_id) do nothing returning id`,
      [uuidv7(), group.id, user.id, now, now],
    );
    if (!inserted) {
      const [existing] = await rawQuery<{ status: MembershipStatus }>(
        em,
        `select status from group_members where group_id = ? and user_id = ?`,
        [group.id, user.id],
      );
      throw new ConflictProblem(
        existing?.status === MembershipStatus.Declined
          ? 'The user declined an invitation to this group (they can still join with its code)'
          : existing?.status === MembershipStatus.Pending
            ? 'The user has been invited to this group already'
            : 'The user is a member of this group already',
        { currentStatus: existing?.status },
      );
    }
    return {
      id: user.id,
      name: user.name,
      role: GroupRole.Member,
      status: MemberStatus.Pending,
      joinedAt: null,
    };
  }

  /** The invitee says yes (also after declining): from now on the group sees their tasks. */
  async accept(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    const group = await this.groups.found(principal, groupId);
    if (group.isOwner) throw new ConflictProblem('You own this group');
    await rawQuery(
      this.em.fork(),
      `update group_members set status = '${ACCEPTED}', responded_at = now(), updated_at = now()
        where group_id = ? and user_id = ? and status <> '${ACCEPTED}'`,
      [group.id, principal.id],
    );
    return this.read(principal, group.id);
  }

  /** The invitee says no; a member who changed their mind leaves instead (409). */
  async decline(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    const group = await this.groups.found(principal, groupId);
    if (group.isOwner) throw new ConflictProblem('You own this group');
    const [changed] = await rawQuery<{ id: string }>(
      this.em.fork(),
      `update group_members set status = '${MembershipStatus.Declined}', responded_at = now(),
              updated_at = now()
        where group_id = ? and user_id = ? and status <> '${ACCEPTED}' returning id`,
      [group.id, principal.id],
    );
    if (!changed)
      throw new ConflictProblem(
        'You are a member of this group: leave it instead (DELETE /groups/{id}/members/me)',
        { currentStatus: ACCEPTED },
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
    const em = this.em.fork();
    const [group] = await rawQuery<{ id: string; ownerId: string; joinCode: string | null }>(
      em,
      `select id, owner_id as "ownerId", join_code as "joinCode" from groups where id = ?`,
      [groupId],
    );
    const code = normalizeJoinCode(typed);
    if (!group?.joinCode || !code || !sameCode(group.joinCode, code)) throw noGroupWithCode();
    await this.counters.reset(key);
    if (group.ownerId === userId) return this.read(principal, group.id);
    await rawQuery(
      em,
      `insert into group_members (id, group_id, user_id, status, responded_at, created_at, updated_at)
       values (?, ?, ?, '${ACCEPTED}', now(), now(), now())
       on conflict (group_id, user_id) do update
         set status = '${ACCEPTED}', updated_at = now(),
             responded_at = case when group_members.status = '${ACCEPTED}'
                                 then group_members.responded_at else now() end`,
      [uuidv7(), group.id, userId],
    );
    return this.read(principal, group.id);
  }

  /** Owner: a new join code (the old one stops working). */
  async rotateJoinCode(principal: Principal, groupId: string): Promise<JoinCodeResponseDto> {
    const group = await this.groups.found(principal, groupId);
    const joinCode = newJoinCode();
    await rawQuery(
      this.em.fork(),
      `update groups set join_code = ?, updated_at = now() where id = ?`,
      [joinCode, group.id],
    );
    return { joinCode };
  }

  /** Owner: turns joining by code off (members then join only by accepting an invitation). */
  async disableJoinCode(principal: Principal, groupId: string): Promise<void> {
    const group = await this.groups.found(principal, groupId);
    await rawQuery(
      this.em.fork(),
      `update groups set join_code = null, updated_at = now() where id = ?`,
      [group.id],
    );
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
    const group = await this.groups.found(principal, groupId);
    if (targetId === group.ownerId)
      throw new UnprocessableProblem('The owner cannot leave their own group');
    const [removed] = await rawQuery<{ id: string }>(
      this.em.fork(),
      `delete from group_members where group_id = ? and user_id = ? returning id`,
      [group.id, targetId],
    );
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
    const group = await this.groups.found(principal, groupId);
    const em = this.em.fork();
    const filters = taskFilters(q);
    const where = [
      `exists (select 1 from groups g where g.id = ? and ${consentingMember('g', 't.user_id')})`,
      't.user_id <> ?',
      ...filters.where,
    ].join(' and ');
    const params = [group.id, principal.id, ...filters.params];
    const { count, results } = await queryPage<TaskRow & { user: TaskUserDto }>(
      em,
      {
        columns: `${TASK_COLUMNS}, json_build_object('id', u.id, 'name', u.name) as "user"`,
        from: `tasks t join users u on u.id = t.user_id and u.deleted_at is null where ${where}`,
        params,
        orderBy: taskOrder(q),
      },
      q,
    );
    return { count, results: results.map(toGroupTaskResponse) };
  }

  private async read(principal: Principal, groupId: string): Promise<GroupResponseDto> {
    const userId = principal.id;
    const [row] = await rawQuery<GroupResponseDto>(
      this.em.fork(),
      `select ${GROUP_COLUMNS} from groups g where g.id = ?`,
      [userId, userId, userId, groupId],
    );
    if (!row) throw new NotFoundProblem('Group not found');
    return toGroupResponse(row);
  }
}

function sameCode(stored: string, given: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
