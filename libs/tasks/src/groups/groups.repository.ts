import { EntityRepository } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { queryPage, rawQuery, toOrderBy, type PageOf } from '#porch/core';
import { orderSql } from '../sql.js';
import {
  GroupRole,
  Membership,
  type GroupMemberResponseDto,
  type GroupResponseDto,
} from './dto/group-response.dto.js';
import type { ListGroupsQueryDto } from './dto/list-groups-query.dto.js';
import { MembershipStatus } from './membership-status.js';
import { Group } from './group.entity.js';

const ACCEPTED = MembershipStatus.Accepted;

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

/** A group row for one caller (`toGroupResponse` maps it). */
export type GroupRow = GroupResponseDto;

/** What joining by code needs of a group. */
export interface JoinTarget {
  id: string;
  ownerId: string;
  joinCode: string | null;
}

/**
 * Groups and their memberships (`group_members`): the statements of GroupsService, and the
 * caller's place in a group for TasksAccess. Rules (who may, which error) are the callers'.
 */
export class GroupsRepository extends EntityRepository<Group> {
  /** Inserts a new group (a UniqueConstraintViolationException if the owner has that name). */
  async insertGroup(row: {
    id: string;
    ownerId: string;
    name: string;
    joinCode: string;
    now: Date;
  }): Promise<void> {
    await this.em.fork().insert(Group, {
      id: row.id,
      owner: row.ownerId,
      name: row.name,
      joinCode: row.joinCode,
      createdAt: row.now,
      updatedAt: row.now,
    });
  }

  /** One group with the caller's view of it, whatever their membership (or none). */
  async findForCaller(groupId: string, callerId: string): Promise<GroupRow | undefined> {
    const [row] = await rawQuery<GroupRow>(
      this.em,
      `select ${GROUP_COLUMNS} from groups g where g.id = ?`,
      [callerId, callerId, callerId, groupId],
    );
    return row;
  }

  /**
   * A page of the groups the caller owns or has a membership of (`?membership=`: only those
   * where theirs is this), ordered as asked.
   */
  async pageFor(callerId: string, q: ListGroupsQueryDto): Promise<PageOf<GroupRow>> {
    const params: unknown[] = [];
    let visible: string;
    if (q.membership === Membership.Owner) {
      visible = 'g.owner_id = ?';
      params.push(callerId);
    } else if (q.membership) {
      visible = `g.id in (select m.group_id from group_members m where m.user_id = ? and m.status = ?)`;
      params.push(callerId, q.membership);
    } else {
      visible = `(g.owner_id = ? or g.id in (select m.group_id from group_members m where m.user_id = ?))`;
      params.push(callerId, callerId);
    }
    const order = orderSql(
      toOrderBy(q.ordering, { createdAt: 'desc' }),
      { name: 'g.name', createdAt: 'g.created_at' },
      'g.id',
    );
    return queryPage<GroupRow>(
      this.em,
      {
        columns: GROUP_COLUMNS,
        columnParams: [callerId, callerId, callerId],
        from: `groups g where ${visible}`,
        params,
        orderBy: order,
      },
      q,
    );
  }

  /**
   * A page of a group's people: the owner first, then members in the order they joined, then
   * invitations (`withInvitations`: pending and declined ones too, else accepted members only).
   * Deleted accounts are left out.
   */
  async membersPage(
    groupId: string,
    withInvitations: boolean,
    page: { limit: number; offset: number },
  ): Promise<PageOf<GroupMemberResponseDto>> {
    const shown = withInvitations ? 'true' : `m.status = '${ACCEPTED}'`;
    const from = `(
         select u.id, u.name, '${GroupRole.Owner}' as role, '${MembershipStatus.Accepted}' as status,
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
    return queryPage<GroupMemberResponseDto>(
      this.em,
      {
        columns: 'x.id, x.name, x.role, x.status, x."joinedAt"',
        from,
        params: [groupId, groupId],
        orderBy: 'x.rank, x."joinedAt", x.since, x.id',
      },
      page,
    );
  }

  /** A user who can be invited: exists, not deleted, active. */
  async findInvitee(userId: string): Promise<{ id: string; name: string } | undefined> {
    const [user] = await rawQuery<{ id: string; name: string }>(
      this.em,
      `select id, name from users where id = ? and deleted_at is null and is_active`,
      [userId],
    );
    return user;
  }

  /**
   * A pending membership (an invitation) of `userId`, created `now`; false when they have one
   * already, whatever its status (the unique constraint decides under concurrency).
   */
  async insertInvitation(groupId: string, userId: string, now: Date): Promise<boolean> {
    const [inserted] = await rawQuery<{ id: string }>(
      this.em,
      `insert into group_members (id, group_id, user_id, status, created_at, updated_at)
       values (?, ?, ?, '${MembershipStatus.Pending}', ?, ?)
       on conflict (group_id, user_id) do nothing returning id`,
      [uuidv7(), groupId, userId, now, now],
    );
    return inserted !== undefined;
  }

  /** The status of `userId`'s membership of the group, if they have one. */
  async membershipStatus(groupId: string, userId: string): Promise<MembershipStatus | undefined> {
    const [existing] = await rawQuery<{ status: MembershipStatus }>(
      this.em,
      `select status from group_members where group_id = ? and user_id = ?`,
      [groupId, userId],
    );
    return existing?.status;
  }

  /** Accepts `userId`'s membership unless it is accepted already (nothing to do then). */
  async accept(groupId: string, userId: string): Promise<void> {
    await rawQuery(
      this.em,
      `update group_members set status = '${ACCEPTED}', responded_at = now(), updated_at = now()
        where group_id = ? and user_id = ? and status <> '${ACCEPTED}'`,
      [groupId, userId],
    );
  }

  /** Declines `userId`'s membership; false if it is accepted (or there is none). */
  async decline(groupId: string, userId: string): Promise<boolean> {
    const [changed] = await rawQuery<{ id: string }>(
      this.em,
      `update group_members set status = '${MembershipStatus.Declined}', responded_at = now(),
              updated_at = now()
        where group_id = ? and user_id = ? and status <> '${ACCEPTED}' returning id`,
      [groupId, userId],
    );
    return changed !== undefined;
  }

  /** The group's owner and join code, for checking a code typed to join it. */
  async findJoinTarget(groupId: string): Promise<JoinTarget | undefined> {
    const [group] = await rawQuery<JoinTarget>(
      this.em,
      `select id, owner_id as "ownerId", join_code as "joinCode" from groups where id = ?`,
      [groupId],
    );
    return group;
  }

  /**
   * `userId` joins: an accepted membership, made or turned so (an accepted one keeps the time
   * it was accepted).
   */
  async joinAccepted(groupId: string, userId: string): Promise<void> {
    await rawQuery(
      this.em,
      `insert into group_members (id, group_id, user_id, status, responded_at, created_at, updated_at)
       values (?, ?, ?, '${ACCEPTED}', now(), now(), now())
       on conflict (group_id, user_id) do update
         set status = '${ACCEPTED}', updated_at = now(),
             responded_at = case when group_members.status = '${ACCEPTED}'
                                 then group_members.responded_at else now() end`,
      [uuidv7(), groupId, userId],
    );
  }

  async setJoinCode(groupId: string, joinCode: string): Promise<void> {
    await rawQuery(this.em, `update groups set join_code = ?, updated_at = now() where id = ?`, [
      joinCode,
      groupId,
    ]);
  }

  async clearJoinCode(groupId: string): Promise<void> {
    await rawQuery(this.em, `update groups set join_code = null, updated_at = now() where id = ?`, [
      groupId,
    ]);
  }

  /** Deletes `userId`'s membership (or invitation); false if they had none. */
  async removeMembership(groupId: string, userId: string): Promise<boolean> {
    const [removed] = await rawQuery<{ id: string }>(
      this.em,
      `delete from group_members where group_id = ? and user_id = ? returning id`,
      [groupId, userId],
    );
    return removed !== undefined;
  }

  /** The group with the caller's place in it, if they own it or have any membership. */
  async placeOf(callerId: string, groupId: string): Promise<GroupAccess | undefined> {
    const [row] = await rawQuery<GroupAccess>(
      this.em,
      `select g.id, g.owner_id as "ownerId", g.owner_id = ? as "isOwner", m.status
         from groups g left join group_members m on m.group_id = g.id and m.user_id = ?
        where g.id = ? and (g.owner_id = ? or m.id is not null)`,
      [callerId, callerId, groupId, callerId],
    );
    return row;
  }
}
