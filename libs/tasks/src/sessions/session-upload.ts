import { createHash } from 'node:crypto';
import { UnprocessableProblem, type FieldError } from '#porch/core';
import type { Platform } from '../devices/device.entity.js';
import { isCorrectAnswer, type Operator } from '../tasks/operator.js';
import type { CreateSessionDto } from './dto/create-session.dto.js';

export const MAX_TASKS = 500;
export const MAX_KEYPRESSES = 5000;
/** `durationMs` is an int column: ~24.8 days. */
const MAX_DURATION_MS = 2 ** 31 - 1;
/** How far a client's own `durationMs` may differ from `endedAt − startedAt` (monotonic vs wall clock). */
const DURATION_TOLERANCE_MS = 1000;
/** A body breaking thousands of rules needs no thousand-line answer. */
export const MAX_REPORTED_ERRORS = 100;

export interface PreparedTask {
  position: number;
  firstNumber: number;
  secondNumber: number;
  operator: Operator;
  userAnswer: number | null;
  answeredAt: Date | null;
  /** See Task.answerMs. */
  answerMs: number | null;
  visualHelp: boolean;
  isCorrect: boolean | null;
}

/** An upload checked against the rules a DTO cannot express, ready to store. */
export interface PreparedUpload {
  id: string;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  appVersion: string;
  device: {
    platform: Platform;
    model: string;
    osVersion: string;
    details: Record<string, unknown>;
  };
  tasks: PreparedTask[];
  keypresses: { key: string; at: Date }[];
  /** SHA-256 of the canonical body: equal for a byte-different but identical retry. */
  bodyHash: string;
}

/**
 * Applies the session rules (422 with field paths such as `tasks.299.answeredAt`) and derives
 * what the server owns: `durationMs`, each task's `isCorrect`, and the canonical body hash.
 */
export function prepareUpload(dto: CreateSessionDto): PreparedUpload {
  const errors: FieldError[] = [];
  const startedAt = new Date(dto.startedAt);
  const endedAt = new Date(dto.endedAt);
  const durationMs = endedAt.getTime() - startedAt.getTime();
  const ordered = durationMs >= 0;
  if (!ordered) errors.push({ field: 'endedAt', message: 'endedAt must not be before startedAt' });
  else if (durationMs > MAX_DURATION_MS)
    errors.push({ field: 'endedAt', message: 'a session lasts at most 24 days' });
  else if (dto.durationMs != null && Math.abs(dto.durationMs - durationMs) > DURATION_TOLERANCE_MS)
    errors.push({
      field: 'durationMs',
      message: `durationMs must equal endedAt − startedAt (${durationMs}) within ${DURATION_TOLERANCE_MS} ms`,
    });
  // With the window itself broken, every time would be "outside": report only endedAt.
  const within = (at: Date) => !ordered || (at >= startedAt && at <= endedAt);

  const tasks = (dto.tasks ?? []).map((t, i): PreparedTask => {
    const answeredAt = t.answeredAt == null ? null : new Date(t.answeredAt);
    const userAnswer = t.userAnswer ?? null;
    if (userAnswer !== null && answeredAt === null)
      errors.push({
        field: `tasks.${i}.answeredAt`,
        message: 'answeredAt is required when userAnswer is given',
      });
    if (answeredAt && !within(answeredAt))
      errors.push({
        field: `tasks.${i}.answeredAt`,
        message: 'answeredAt must lie between startedAt and endedAt',
      });
    return {
      position: i,
      firstNumber: t.firstNumber,
      secondNumber: t.secondNumber,
      operator: t.operator,
      userAnswer,
      answeredAt,
      answerMs: null,
      visualHelp: t.visualHelp ?? false,
      isCorrect: isCorrectAnswer(t.firstNumber, t.operator, t.secondNumber, userAnswer),
    };
  });
  const keypresses = (dto.keypresses ?? []).map((k, i) => {
    const at = new Date(k.at);
    if (!within(at))
      errors.push({
        field: `keypresses.${i}.at`,
        message: 'at must lie between startedAt and endedAt',
      });
    return { key: k.key, at };
  });

  if (errors.length) {
    const shown = errors.slice(0, MAX_REPORTED_ERRORS);
    const more = errors.length - shown.length;
    throw new UnprocessableProblem(
      shown
        .slice(0, 3)
        .map((e) => `${e.field}: ${e.message}`)
        .join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''),
      { errors: shown, ...(more > 0 ? { omittedErrors: more } : {}) },
    );
  }

  deriveAnswerTimes(tasks, startedAt);
  const upload = {
    id: dto.id.toLowerCase(),
    startedAt,
    endedAt,
    durationMs,
    appVersion: dto.appVersion,
    device: {
      platform: dto.device.platform,
      model: dto.device.model,
      osVersion: dto.device.osVersion,
      details: dto.device.details ?? {},
    },
    tasks,
    keypresses,
  };
  return { ...upload, bodyHash: canonicalHash(upload, dto.durationMs ?? null) };
}

/** Task.answerMs: the gap to the previous answer event of the session (or to its start). */
function deriveAnswerTimes(tasks: PreparedTask[], startedAt: Date): void {
  const timed = tasks
    .filter((t) => t.answeredAt !== null)
    .sort((a, b) => a.answeredAt!.getTime() - b.answeredAt!.getTime() || a.position - b.position);
  let previous = startedAt.getTime();
  for (const t of timed) {
    const at = t.answeredAt!.getTime();
    t.answerMs = at - previous;
    previous = at;
  }
}

/**
 * Hashes the upload after normalization (timestamps as UTC ISO strings, defaults applied, object
 * keys sorted), so a retry that re-serializes the same data differently is still a retry.
 */
function canonicalHash(upload: Omit<PreparedUpload, 'bodyHash'>, clientDuration: number | null) {
  const canonical = [
    upload.id,
    upload.startedAt.toISOString(),
    upload.endedAt.toISOString(),
    clientDuration,
    upload.appVersion,
    [upload.device.platform, upload.device.model, upload.device.osVersion],
    sortKeys(upload.device.details),
    upload.tasks.map((t) => [
      t.firstNumber,
      t.operator,
      t.secondNumber,
      t.userAnswer,
      t.answeredAt?.toISOString() ?? null,
      t.visualHelp,
    ]),
    upload.keypresses.map((k) => [k.key, k.at.toISOString()]),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}
