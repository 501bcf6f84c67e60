import { ApiProperty } from '@nestjs/swagger';
import { PLATFORMS, type Platform } from '../../devices/device.entity.js';
import { asDate } from '../../sql.js';
import type { Nested } from '../../swagger-types.js';

export class DeviceResponseDto {
  id!: string;
  @ApiProperty({ enum: [...PLATFORMS], enumName: 'Platform' })
  platform!: Platform;
  model!: string;
  osVersion!: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
}

export interface DeviceRow {
  id: string;
  platform: Platform;
  model: string;
  osVersion: string;
  details: Record<string, unknown>;
}

export function toDeviceResponse(row: DeviceRow): DeviceResponseDto {
  return {
    id: row.id,
    platform: row.platform,
    model: row.model,
    osVersion: row.osVersion,
    details: row.details,
  };
}

/** A stored session with the counts of what it holds (the keypresses themselves are not echoed). */
export class SessionResponseDto {
  id!: string;
  startedAt!: Date;
  endedAt!: Date;
  /** `endedAt − startedAt` in milliseconds. */
  durationMs!: number;
  appVersion!: string;
  @ApiProperty({ type: () => DeviceResponseDto })
  device!: Nested<DeviceResponseDto>;
  taskCount!: number;
  /** Tasks answered correctly. */
  correctCount!: number;
  keypressCount!: number;
  /** When the server stored it. */
  createdAt!: Date;
}

/** A session row as the summary query returns it (timestamps as PostgreSQL text). */
export interface SessionRow {
  id: string;
  userId: string;
  bodyHash: string;
  startedAt: Date | string;
  endedAt: Date | string;
  durationMs: number;
  appVersion: string;
  createdAt: Date | string;
  device: DeviceRow;
  taskCount: number;
  correctCount: number;
  keypressCount: number;
}

export function toSessionResponse(row: SessionRow): SessionResponseDto {
  return {
    id: row.id,
    startedAt: asDate(row.startedAt),
    endedAt: asDate(row.endedAt),
    durationMs: row.durationMs,
    appVersion: row.appVersion,
    device: toDeviceResponse(row.device),
    taskCount: row.taskCount,
    correctCount: row.correctCount,
    keypressCount: row.keypressCount,
    createdAt: asDate(row.createdAt),
  };
}
