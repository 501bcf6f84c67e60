import { ApiProperty } from '@nestjs/swagger';
import { timestamp } from '#porch/core';
import { PLATFORMS, type Platform } from '../../devices/device.entity.js';
import type { Nested } from '../../swagger-types.js';

export class DeviceResponseDto {
  /** @example "0193a5f4-3f50-7172-94e5-f60718293a4b" */
  id!: string;
  @ApiProperty({ enum: [...PLATFORMS], enumName: 'Platform' })
  platform!: Platform;
  /** @example "SM-T510" */
  model!: string;
  /** @example "13" */
  osVersion!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { locale: 'en-CA' } })
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
  /** @example "0193a5f4-2e4f-7061-83d4-e5f60718293a" */
  id!: string;
  /** @example "2026-12-01T09:00:00.000Z" */
  startedAt!: Date;
  /** @example "2026-12-01T09:12:30.000Z" */
  endedAt!: Date;
  /** `endedAt − startedAt` in milliseconds. @example 750000 */
  durationMs!: number;
  /** @example "2.4.1" */
  appVersion!: string;
  @ApiProperty({ type: () => DeviceResponseDto })
  device!: Nested<DeviceResponseDto>;
  /** @example 100 */
  taskCount!: number;
  /** Tasks answered correctly. @example 87 */
  correctCount!: number;
  /** @example 412 */
  keypressCount!: number;
  /** When the server stored it. @example "2026-12-01T09:12:31.000Z" */
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
    startedAt: timestamp(row.startedAt),
    endedAt: timestamp(row.endedAt),
    durationMs: row.durationMs,
    appVersion: row.appVersion,
    device: toDeviceResponse(row.device),
    taskCount: row.taskCount,
    correctCount: row.correctCount,
    keypressCount: row.keypressCount,
    createdAt: timestamp(row.createdAt),
  };
}
