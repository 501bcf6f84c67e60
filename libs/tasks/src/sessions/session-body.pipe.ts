import {
  createParamDecorator,
  ExecutionContext,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  createValidationPipe,
  isTimestamp,
  PayloadTooLargeProblem,
  timestampMessage,
  ValidationProblem,
  type FieldError,
  type ProblemDetails,
} from '#porch/core';
import { OPERATORS } from '../tasks/operator.js';
import { MAX_TASK_NUMBER } from '../validation.js';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { MAX_KEYPRESSES, MAX_REPORTED_ERRORS, MAX_TASKS } from './session-upload.js';

const LIMITS = { tasks: MAX_TASKS, keypresses: MAX_KEYPRESSES } as const;
const KEYPRESS_FIELDS = new Set(['key', 'at']);

/**
 * The body of `POST /sessions`, checked in one pass:
 * 1. 413 when a list is over its limit, before any element is looked at (the global pipe would
 *    validate every element first, and `@ArrayMaxSize` would answer 400);
 * 2. the session and its device through class-validator, with the global pipe's settings;
 * 3. the tasks (up to 500) and keypresses (up to 5,000) by `taskErrors` and `keypressErrors`
 *    below, with class-validator's messages and `tasks.299.operator`-style paths: class-validator
 *    spends tens of microseconds per nested object, which made 100 tasks a quarter of an
 *    upload's CPU time, and keypresses most of it.
 * All errors come back together in one 400. The global ValidationPipe skips custom parameter
 * decorators, so `@SessionUploadBody()` hands the raw body to this pipe alone.
 */
@Injectable()
export class SessionBodyPipe implements PipeTransform<unknown, Promise<CreateSessionDto>> {
  private readonly validation = createValidationPipe();

  async transform(body: unknown): Promise<CreateSessionDto> {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new ValidationProblem([{ field: 'body', message: 'the body must be a JSON object' }]);
    const fields = body as Record<string, unknown>;
    for (const [field, max] of Object.entries(LIMITS)) {
      const list = fields[field];
      if (Array.isArray(list) && list.length > max) {
        const message = `a session holds at most ${max} ${field} (got ${list.length})`;
        throw new PayloadTooLargeProblem(message, { errors: [{ field, message }] });
      }
    }
    // A list of tasks is checked by taskErrors below; anything else by the DTO's @IsArray.
    const tasks = Array.isArray(fields.tasks) ? (fields.tasks as unknown[]) : undefined;
    let errors: FieldError[] = [];
    let dto: CreateSessionDto | undefined;
    try {
      dto = (await this.validation.transform(tasks ? { ...fields, tasks: [] } : body, {
        type: 'body',
        metatype: CreateSessionDto,
      })) as CreateSessionDto;
    } catch (error) {
      if (!(error instanceof ValidationProblem)) throw error;
      errors = (error.getResponse() as ProblemDetails).errors ?? [];
    }
    if (tasks) errors.push(...taskErrors(tasks));
    errors.push(...keypressErrors(fields.keypresses));
    if (errors.length || !dto) throw new ValidationProblem(errors.slice(0, MAX_REPORTED_ERRORS));
    if (tasks) dto.tasks = tasks as CreateSessionDto['tasks'];
    return dto;
  }
}

/** The raw JSON body, validated by SessionBodyPipe (and by nothing else). */
export const SessionUploadBody = () =>
  createParamDecorator(
    (_: unknown, ctx: ExecutionContext): unknown => ctx.switchToHttp().getRequest<Request>().body,
  )(undefined, SessionBodyPipe);

const TASK_FIELDS = new Set([
  'firstNumber',
  'secondNumber',
  'operator',
  'userAnswer',
  'answeredAt',
  'visualHelp',
]);

/**
 * Each task against TaskInputDto's rules (the DTO documents them in Swagger), with the messages
 * and order class-validator gives: unknown properties first, then per field, as its decorators
 * (`@Max`, `@Min`, `@IsInt`) report. A non-array is left to the DTO's `@IsArray`.
 */
export function taskErrors(list: unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  for (let i = 0; i < list.length && errors.length < MAX_REPORTED_ERRORS; i++) {
    const item: unknown = list[i];
    const path = `tasks.${i}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({
        field: path,
        message: 'each value in nested property tasks must be either object or array',
      });
      continue;
    }
    const task = item as Record<string, unknown>;
    for (const name of Object.keys(task))
      if (!TASK_FIELDS.has(name))
        errors.push({ field: `${path}.${name}`, message: `property ${name} should not exist` });
    const push = (field: string, message: string) =>
      errors.push({ field: `${path}.${field}`, message });
    const integer = (field: string, optional: boolean) => {
      const value = task[field];
      if (optional && (value === undefined || value === null)) return;
      const isNumber = typeof value === 'number';
      if (!(isNumber && value <= MAX_TASK_NUMBER))
        push(field, `${field} must not be greater than ${MAX_TASK_NUMBER}`);
      if (!(isNumber && value >= -MAX_TASK_NUMBER))
        push(field, `${field} must not be less than ${-MAX_TASK_NUMBER}`);
      if (!Number.isInteger(value)) push(field, `${field} must be an integer number`);
    };
    integer('firstNumber', false);
    integer('secondNumber', false);
    if (!(OPERATORS as readonly unknown[]).includes(task.operator))
      push('operator', 'operator must be one of +, -, *, /');
    integer('userAnswer', true);
    const { answeredAt, visualHelp } = task;
    if (answeredAt !== undefined && answeredAt !== null && !isTimestamp(answeredAt))
      push('answeredAt', timestampMessage('answeredAt'));
    if (visualHelp !== undefined && visualHelp !== null && typeof visualHelp !== 'boolean')
      push('visualHelp', 'visualHelp must be a boolean value');
  }
  return errors;
}

/**
 * Each keypress is `{ key: 1–16 characters, at: ISO 8601 timestamp with a zone }` and nothing
 * else; errors name `keypresses.<index>.<field>`. A non-array is left to the DTO's `@IsArray`.
 */
export function keypressErrors(list: unknown): FieldError[] {
  if (!Array.isArray(list)) return [];
  const errors: FieldError[] = [];
  for (let i = 0; i < list.length && errors.length < MAX_REPORTED_ERRORS; i++) {
    const item: unknown = list[i];
    const path = `keypresses.${i}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ field: path, message: 'each keypress must be an object { key, at }' });
      continue;
    }
    const { key, at } = item as Record<string, unknown>;
    for (const name of Object.keys(item))
      if (!KEYPRESS_FIELDS.has(name))
        errors.push({ field: `${path}.${name}`, message: `property ${name} should not exist` });
    if (typeof key !== 'string' || key.length < 1 || key.length > 16)
      errors.push({ field: `${path}.key`, message: 'key must be a string of 1 to 16 characters' });
    if (!isTimestamp(at)) errors.push({ field: `${path}.at`, message: timestampMessage('at') });
  }
  return errors;
}
