import { ApiProperty } from '@nestjs/swagger';
import { timestamp } from '#porch/core';
import type { Nested } from '../../swagger-types.js';
import { MembershipStatus } from '../membership-status.js';
import {
  TaskResponseDto,
  toTaskResponse,
  type TaskRow,
} from '../../tasks/dto/task-response.dto.js';

/** A response row as a hand-written query returns it: its timestamps may be text. */
type Raw<T, K extends keyof T> = Omit<T, K> & Record<K, Date | string>;

/**
 * Const objects + unions, not TS enums: the Swagger plugin turns an enum from another file
 * into an `await import()` that breaks under ESM (see `Operator`).
 */
export const Membership = {
  Owner: 'owner',
  Pending: 'pending',
  Accepted: 'accepted',
  Declined: 'declined',
} as const;
export type Membership = (typeof Membership)[keyof typeof Membership];

/** A member's `MembershipStatus`, as a union the Swagger plugin inlines (see `Membership`). */
export type MemberStatus = `${MembershipStatus}`;

export class GroupResponseDto {
  /** @example "0193a5f4-5172-7394-b607-18293a4b5c6d" */
  id!: string;
  /** @example "Grade 4 – Room 12" */
  name!: string;
  /** @example "0193a5f2-6c1e-7d2a-9b3f-4e5d6c7b8a91" */
  ownerId!: string;
  /**
   * Whether the caller owns the group (and so may change its members and its join code).
   * @example true
   */
  isOwner!: boolean;
  /**
   * The caller's place in the group: `owner`; `pending` (invited, not yet answered: nothing of
   * yours reaches the group); `accepted` (a member: the group sees your tasks); `declined`.
   */
  @ApiProperty({ enum: Object.values(Membership), enumName: 'GroupMembership' })
  membership!: Membership;
  /** The owner and the members who accepted (deleted accounts excluded). @example 24 */
  memberCount!: number;
  /**
   * The code others join with (`POST /groups/{id}/join`), for the owner to share; null for
   * everyone else, and when the owner turned joining by code off.
   */
  @ApiProperty({ type: String, nullable: true, example: '7KQ2MXB9TD' })
  joinCode!: string | null;
  /** @example "2026-11-15T13:00:00.000Z" */
  createdAt!: Date;
}

export function toGroupResponse(row: Raw<GroupResponseDto, 'createdAt'>): GroupResponseDto {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.ownerId,
    isOwner: row.isOwner,
    membership: row.membership,
    memberCount: row.memberCount,
    joinCode: row.isOwner ? (row.joinCode ?? null) : null,
    createdAt: timestamp(row.createdAt),
  };
}

export const GroupRole = { Owner: 'owner', Member: 'member' } as const;
export type GroupRole = (typeof GroupRole)[keyof typeof GroupRole];

export class GroupMemberResponseDto {
  /** The user's id. @example "0193a5f2-7a40-7c11-8e2d-1f3a4b5c6d72" */
  id!: string;
  /** @example "Guest 1" */
  name!: string;
  @ApiProperty({ enum: Object.values(GroupRole), enumName: 'GroupRole' })
  role!: GroupRole;
  /**
   * `accepted` for the owner and members; `pending` and `declined` invitations are listed for
   * the owner only.
   */
  @ApiProperty({ enum: Object.values(MembershipStatus), enumName: 'GroupMemberStatus' })
  status!: MemberStatus;
  /** When the user joined (for the owner: when the group was created); null until accepted. */
  @ApiProperty({ type: Date, nullable: true, example: '2026-11-16T09:30:00.000Z' })
  joinedAt!: Date | null;
}

export function toGroupMemberResponse(
  row: Omit<GroupMemberResponseDto, 'joinedAt'> & { joinedAt: Date | string | null },
): GroupMemberResponseDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    status: row.status,
    joinedAt: timestamp(row.joinedAt),
  };
}

/** The group's current join code (after a rotation). */
export class JoinCodeResponseDto {
  @ApiProperty({ example: '7KQ2MXB9TD' })
  joinCode!: string;
}

export class TaskUserDto {
  /** @example "0193a5f2-7a40-7c11-8e2d-1f3a4b5c6d72" */
  id!: string;
  /** @example "Guest 1" */
  name!: string;
}

/** A group member's task, with who did it. */
export class GroupTaskResponseDto extends TaskResponseDto {
  @ApiProperty({ type: () => TaskUserDto })
  user!: Nested<TaskUserDto>;
}

export function toGroupTaskResponse(row: TaskRow & { user: TaskUserDto }): GroupTaskResponseDto {
  return { ...toTaskResponse(row), user: { id: row.user.id, name: row.user.name } };
}
