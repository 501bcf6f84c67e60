import { ApiProperty } from '@nestjs/swagger';
import { asDate } from '../../sql.js';
import type { Nested } from '../../swagger-types.js';
import {
  TaskResponseDto,
  toTaskResponse,
  type TaskRow,
} from '../../tasks/dto/task-response.dto.js';

export class GroupResponseDto {
  id!: string;
  name!: string;
  ownerId!: string;
  /** Whether the caller owns the group (and so may change its members). */
  isOwner!: boolean;
  /** The owner and the members (deleted accounts excluded). */
  memberCount!: number;
  createdAt!: Date;
}

export function toGroupResponse(row: Raw<GroupResponseDto, 'createdAt'>): GroupResponseDto {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.ownerId,
    isOwner: row.isOwner,
    memberCount: row.memberCount,
    createdAt: asDate(row.createdAt),
  };
}

/** A const object + union, not a TS enum: see `Operator` (Swagger plugin under ESM). */
/** A response row as a hand-written query returns it: its timestamps may be text. */
type Raw<T, K extends keyof T> = Omit<T, K> & Record<K, Date | string>;

export const GroupRole = { Owner: 'owner', Member: 'member' } as const;
export type GroupRole = (typeof GroupRole)[keyof typeof GroupRole];

export class GroupMemberResponseDto {
  /** The user's id. */
  id!: string;
  name!: string;
  @ApiProperty({ enum: Object.values(GroupRole), enumName: 'GroupRole' })
  role!: GroupRole;
  /** When the user joined (for the owner: when the group was created). */
  joinedAt!: Date;
}

export function toGroupMemberResponse(
  row: Raw<GroupMemberResponseDto, 'joinedAt'>,
): GroupMemberResponseDto {
  return { id: row.id, name: row.name, role: row.role, joinedAt: asDate(row.joinedAt) };
}

export class TaskUserDto {
  id!: string;
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
