import { ApiProperty } from '@nestjs/swagger';
import type { Nested } from '../../swagger-types.js';
import { OPERATORS, type Operator } from '../operator.js';

/**
 * Counts and timing over a set of tasks. The answer time of a task is its `answerMs`: its
 * `answeredAt` minus the previous `answeredAt` in the same session (tasks ordered by
 * `answeredAt`, skipped tasks with a time included), or minus the session's `startedAt` for the
 * session's first: the time spent on that task.
 */
export class TaskStatsDto {
  /** All tasks, answered or not. @example 100 */
  count!: number;
  /** Tasks with an answer. @example 96 */
  answered!: number;
  /** Tasks answered correctly. @example 87 */
  correct!: number;
  /** `correct / answered`, between 0 and 1; null when nothing was answered. */
  @ApiProperty({ type: Number, nullable: true, example: 0.875 })
  accuracy!: number | null;
  /** Median answer time of the answered tasks, in milliseconds; null when none. */
  @ApiProperty({ type: Number, nullable: true, example: 2350 })
  medianAnswerMs!: number | null;
}

export class OperatorStatsDto extends TaskStatsDto {
  @ApiProperty({ enum: [...OPERATORS], enumName: 'Operator' })
  operator!: Operator;
}

/** The caller's statistics, overall and for each of the four operators (always all four). */
export class TaskStatsResponseDto {
  @ApiProperty({ type: () => TaskStatsDto })
  overall!: Nested<TaskStatsDto>;
  @ApiProperty({ type: () => [OperatorStatsDto] })
  operators!: Nested<OperatorStatsDto>[];
}
