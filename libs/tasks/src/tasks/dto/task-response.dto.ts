import { ApiProperty } from '@nestjs/swagger';
import { timestamp } from '#porch/core';
import { OPERATORS, type Operator } from '../operator.js';

/** A task: `firstNumber operator ? = secondNumber`, the learner's answer and its verdict. */
export class TaskResponseDto {
  /** @example "0193a5f4-4061-7283-a5f6-0718293a4b5c" */
  id!: string;
  /** @example "0193a5f4-2e4f-7061-83d4-e5f60718293a" */
  sessionId!: string;
  /** Index of the task in its session's upload (its order on screen). @example 0 */
  position!: number;
  /** @example 3 */
  firstNumber!: number;
  @ApiProperty({ enum: [...OPERATORS], enumName: 'Operator' })
  operator!: Operator;
  /** @example 7 */
  secondNumber!: number;
  /** @example 4 */
  @ApiProperty({ type: 'integer', nullable: true })
  userAnswer!: number | null;
  /** @example "2026-12-01T09:00:05.200Z" */
  @ApiProperty({ type: Date, nullable: true })
  answeredAt!: Date | null;
  /**
   * Time spent on the task: `answeredAt` minus the previous `answeredAt` in the session, or
   * minus the session's `startedAt` for its first; null without `answeredAt`.
   * @example 5200
   */
  @ApiProperty({ type: 'integer', nullable: true })
  answerMs!: number | null;
  /** @example false */
  visualHelp!: boolean;
  /** Computed by the server; null while unanswered. @example true */
  @ApiProperty({ type: Boolean, nullable: true })
  isCorrect!: boolean | null;
  /** When the server stored it (what `?since=` compares). @example "2026-12-01T09:12:31.000Z" */
  createdAt!: Date;
}

/** A task row as the task queries select it (timestamps as PostgreSQL text). */
export interface TaskRow {
  id: string;
  sessionId: string;
  position: number;
  firstNumber: number;
  operator: Operator;
  secondNumber: number;
  userAnswer: number | null;
  answeredAt: Date | string | null;
  answerMs: number | null;
  visualHelp: boolean;
  isCorrect: boolean | null;
  createdAt: Date | string;
}

export function toTaskResponse(row: TaskRow): TaskResponseDto {
  return {
    id: row.id,
    sessionId: row.sessionId,
    position: row.position,
    firstNumber: row.firstNumber,
    operator: row.operator,
    secondNumber: row.secondNumber,
    userAnswer: row.userAnswer,
    answeredAt: timestamp(row.answeredAt),
    answerMs: row.answerMs,
    visualHelp: row.visualHelp,
    isCorrect: row.isCorrect,
    createdAt: timestamp(row.createdAt),
  };
}
