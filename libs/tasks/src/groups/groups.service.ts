import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { ConflictProblem, NotFoundProblem, toOrderBy, UnprocessableProblem } from '#porch/core';
import { orderSql, pageTotal, query } from '../sql.js';
import type { TaskRow } from '../tasks/dto/task-response.dto.js';
import { TASK_COLUMNS, taskFilters, taskOrder } from '../tasks/task-queries.js';
import { TasksAccess } from '../tasks-access.js';
import type { AddMemberDto } from './dto/add-member.dto.js';
import type { CreateGroupDto } from './dto/create-group.dto.js';
import {
  GroupRole,
  toGroupMemberResponse,
  toGroupResponse,
  toGroupTaskResponse,
  type GroupMemberResponseDto,
  type GroupResponseDto,
  type GroupTaskResponseDto,
  type TaskUserDto,
} from './dto/group-response.dto.js';
import type { GroupTasksQueryDto, ListGroupsQueryDto } from './dto/list-groups-query.dto.js';
import { GroupMember } from './group-member.entity.js';
import { Group } from './group.entity.js';

interface Page<T> {
  count: number;
  results: T[];
}

/** Members of group `g`: its owner and its membership rows, deleted accounts excluded. */
const MEMBER_COUNT = `(
  (select count(*) from users o where o.id = g.owner_id and o.deleted_at is null)
  + (select count(*) from group_members m join users u on u.id = m.user_id
      where m.group_id = g.id and u.deleted_at is null))::int`;

const GROUP_COLUMNS = `g.id, g.name, g.owner_id as "ownerId", g.owner_id = ? as "isOwner",
  ${MEMBER_COUNT} as "memberCount", g.created_at as "createdAt"`;

/** Groups (the app's "synchronization"): who sees whose tasks. Permissions: TasksAccess. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: TasksAccess,
  ) {}

  /** A new group owned by the caller; 409 if they already own one with that name. */
  async create(ownerId: string, dto: CreateGroupDto): Promise<GroupResponseDto> {
    const now = new Date();
    const id = uuidv7();
    try {
      await this.em.fork().insert(Group, {
        id,
        owner: ownerId,
        name: dto.name,
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
      memberCount: 1,
      createdAt: now,
    });
  }

  /** Groups the caller owns or belongs to. */
  async list(userId: string, q: ListGroupsQueryDto): Promise<Page<GroupResponseDto>> {
    const em = this.em.fork();
    const visible = `(g.owner_id = ? or g.id in (select m.group_id from group_members m where m.user_id = ?))`;
    const order = orderSql(
      toOrderBy(q.ordering, { createdAt: 'desc' }),
      { name: 'g.name', createdAt: 'g.created_at' },
      'g.id',
    );
    const rows = await query<GroupResponseDto & { total: number }>(
      em,
      `select ${GROUP_COLUMNS}, count(*) over ()::int as total from groups g
        where ${visible} order by ${order} limit ? offset ?`,
      [userId, userId, userId, q.limit, q.offset],
    );
    const count = await pageTotal(rows, q.offset, async () => {
      const [row] = await query<{ n: number }>(
        em,
        `select count(*)::int as n from groups g where ${visible}`,
        [userId, userId],
      );
      return row.n;
    });
    return { count, results: rows.map(toGroupResponse) };
  }

  async get(userId: string, groupId: string): Promise<GroupResponseDto> {
    await this.access.groupForMember(userId, groupId);
    const [row] = await query<GroupResponseDto>(
      this.em.fork(),
      `select ${GROUP_COLUMNS} from groups g where g.id = ?`,
      [userId, groupId],
    );
    return toGroupResponse(row);
  }

  /** The owner first, then members in the order they joined. */
  async members(
    userId: string,
    groupId: string,
    q: { limit: number; offset: number },
  ): Promise<Page<GroupMemberResponseDto>> {
    await this.access.groupForMember(userId, groupId);
    const rows = await query<GroupMemberResponseDto & { total: number }>(
      this.em.fork(),
      `select x.id, x.name, x.role, x."joinedAt", count(*) over ()::int as total from (
         select u.id, u.name, '${GroupRole.Owner}' as role, g.created_at as "joinedAt", 0 as rank
           from groups g join users u on u.id = g.owner_id
          where g.id = ? and u.deleted_at is null
         union all
         select u.id, u.name, '${GroupRole.Member}', m.created_at, 1
           from group_members m join users u on u.id = m.user_id
          where m.group_id = ? and u.deleted_at is null
       ) x order by x.rank, x."joinedAt", x.id limit ? offset ?`,
      [groupId, groupId, q.limit, q.offset],
    );
    const count = await pageTotal(
      rows,
      q.offset,
      async () => (await this.get(userId, groupId)).memberCount,
    );
    return { count, results: rows.map(toGroupMemberResponse) };
  }

  /**
   * Owner only. 404 for an unknown, deleted or inactive user; 409 if already a member (the
   * unique constraint decides under concurrency).
   */
  async addMember(
    callerId: string,
    groupId: string,
    dto: AddMemberDto,
  ): Promise<GroupMemberResponseDto> {
    const group = await this.access.groupForOwner(callerId, groupId);
    const em = this.em.fork();
    const [user] = await query<{ id: string; name: string }>(
      em,
      `select id, name from users where id = ? and deleted_at is null and is_active`,
      [dto.userId.toLowerCase()],
    );
    if (!user) throw new NotFoundProblem('User not found');
    if (user.id === group.ownerId)
      throw new ConflictProblem('The owner is a member of their group already');
    const now = new Date();
    try {
      await em.insert(GroupMember, {
        id: uuidv7(),
        group: group.id,
        user: user.id,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictProblem('The user is a member of this group already');
      throw error;
    }
    return { id: user.id, name: user.name, role: GroupRole.Member, joinedAt: now };
  }

  /** Owner: removes a member. Member: leaves (only themself). The owner cannot leave. */
  async removeMember(callerId: string, groupId: string, targetId: string): Promise<void> {
    const group = await this.access.groupForRemoval(callerId, groupId, targetId);
    if (targetId === group.ownerId)
      throw new UnprocessableProblem('The owner cannot leave their own group');
    const removed = await this.em
      .fork()
      .nativeDelete(GroupMember, { group: group.id, user: targetId });
    if (!removed) throw new NotFoundProblem('The user is not a member of this group');
  }

  /**
   * Tasks of the group's members (the owner included), excluding the caller's own and those of
   * deleted accounts; `?since=` compares the time the server stored them.
   */
  async tasks(
    callerId: string,
    groupId: string,
    q: GroupTasksQueryDto,
  ): Promise<Page<GroupTaskResponseDto>> {
    const group = await this.access.groupForMember(callerId, groupId);
    const em = this.em.fork();
    const filters = taskFilters(q);
    const where = [
      `t.user_id in (select g.owner_id from groups g where g.id = ?
                     union all select m.user_id from group_members m where m.group_id = ?)`,
      't.user_id <> ?',
      ...filters.where,
    ].join(' and ');
    const params = [group.id, group.id, callerId, ...filters.params];
    const from = `from tasks t join users u on u.id = t.user_id and u.deleted_at is null`;
    const rows = await query<TaskRow & { user: TaskUserDto; total: number }>(
      em,
      `select ${TASK_COLUMNS}, json_build_object('id', u.id, 'name', u.name) as "user",
              count(*) over ()::int as total
         ${from} where ${where} order by ${taskOrder(q)} limit ? offset ?`,
      [...params, q.limit, q.offset],
    );
    const count = await pageTotal(rows, q.offset, async () => {
      const [row] = await query<{ n: number }>(
        em,
        `select count(*)::int as n ${from} where ${where}`,
        params,
      );
      return row.n;
    });
    return { count, results: rows.map(toGroupTaskResponse) };
  }
}
