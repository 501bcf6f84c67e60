import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PLATFORMS, type Platform } from '../../devices/device.entity.js';
import { OPERATORS, type Operator } from '../../tasks/operator.js';
import type { Nested } from '../../swagger-types.js';
import { MAX_TASK_NUMBER, MaxJsonLength } from '../../validation.js';
import { IsTimestamp, Trim } from '#porch/core';

/** The device the session was played on. Sessions naming the same device share its row. */
export class DeviceInputDto {
  @ApiProperty({ enum: [...PLATFORMS], enumName: 'Platform' })
  @IsIn(PLATFORMS, { message: 'platform must be one of android, ios' })
  platform!: Platform;

  /** Device model, e.g. `SM-T510` or `iPad8,1`. @example "SM-T510" */
  @Trim()
  @IsString()
  @Length(1, 100)
  model!: string;

  /** Operating system version, e.g. `13` or `17.4.1`. @example "13" */
  @Trim()
  @IsString()
  @Length(1, 50)
  osVersion!: string;

  /** Free-form facts about the device (screen size, locale, …); a JSON object of ≤ 4 KB. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { locale: 'en-CA' } })
  @IsOptional()
  @IsObject()
  @MaxJsonLength(4096)
  details?: Record<string, unknown>;
}

/**
 * One task as shown to the learner: `firstNumber operator ? = secondNumber` (so `3 + ? = 7` is
 * first 3, second 7). `isCorrect` is computed by the server.
 */
export class TaskInputDto {
  // Explicit: the plugin cannot evaluate `-MAX_TASK_NUMBER` and would drop the property.
  @ApiProperty({ type: 'integer', minimum: -MAX_TASK_NUMBER, maximum: MAX_TASK_NUMBER, example: 3 })
  @IsInt()
  @Min(-MAX_TASK_NUMBER)
  @Max(MAX_TASK_NUMBER)
  firstNumber!: number;

  @ApiProperty({ type: 'integer', minimum: -MAX_TASK_NUMBER, maximum: MAX_TASK_NUMBER, example: 7 })
  @IsInt()
  @Min(-MAX_TASK_NUMBER)
  @Max(MAX_TASK_NUMBER)
  secondNumber!: number;

  @ApiProperty({ enum: [...OPERATORS], enumName: 'Operator' })
  @IsIn(OPERATORS, { message: 'operator must be one of +, -, *, /' })
  operator!: Operator;

  /** The learner's answer; absent or null when the task was skipped. */
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: -MAX_TASK_NUMBER,
    maximum: MAX_TASK_NUMBER,
    example: 4,
  })
  @IsOptional()
  @IsInt()
  @Min(-MAX_TASK_NUMBER)
  @Max(MAX_TASK_NUMBER)
  userAnswer?: number | null;

  /**
   * When the answer was given; required with `userAnswer`, within the session.
   * @example "2026-12-01T09:00:05.200Z"
   */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsTimestamp()
  answeredAt?: string | null;

  /** Whether the visual help was shown. Default false. @example false */
  @IsOptional()
  @IsBoolean()
  visualHelp?: boolean | null;
}

/**
 * A key pressed during the session. Validated by `keypressErrors` (session-body.pipe.ts), not
 * class-validator: there can be 5,000 of them.
 */
export class KeypressInputDto {
  /** The key, e.g. `7`, `backspace`, `help`. @example "4" */
  @ApiProperty({ minLength: 1, maxLength: 16 })
  key!: string;

  /** Within the session's `startedAt`…`endedAt`. @example "2026-12-01T09:00:04.900Z" */
  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;
}

/**
 * One finished session with everything recorded during it. Upload it again under the same `id`
 * (e.g. after a lost response) and the stored session comes back with 200; nothing is written.
 */
export class CreateSessionDto {
  /**
   * Chosen by the client (any UUID version); the key that makes retries safe.
   * @example "0193a5f4-2e4f-7061-83d4-e5f60718293a"
   */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  /** @example "2026-12-01T09:00:00.000Z" */
  @ApiProperty({ type: String, format: 'date-time' })
  @IsTimestamp()
  startedAt!: string;

  /** Not before `startedAt` (422 otherwise). @example "2026-12-01T09:12:30.000Z" */
  @ApiProperty({ type: String, format: 'date-time' })
  @IsTimestamp()
  endedAt!: string;

  /**
   * Optional: the server derives `endedAt − startedAt`; a value given here must agree with it
   * within a second (422 otherwise).
   * @example 750000
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  durationMs?: number;

  /** Version of the app that recorded the session. @example "2.4.1" */
  @Trim()
  @IsString()
  @Length(1, 50)
  appVersion!: string;

  @ApiProperty({ type: () => DeviceInputDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DeviceInputDto)
  device!: Nested<DeviceInputDto>;

  /** At most 500 (413 beyond). */
  @ApiPropertyOptional({ type: () => [TaskInputDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TaskInputDto)
  tasks: Nested<TaskInputDto>[] = [];

  /** At most 5,000 (413 beyond). Each element is checked by SessionBodyPipe. */
  @ApiPropertyOptional({ type: () => [KeypressInputDto] })
  @IsOptional()
  @IsArray()
  keypresses: Nested<KeypressInputDto>[] = [];
}
