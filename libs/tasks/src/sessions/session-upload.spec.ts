import { UnprocessableProblem } from '#porch/core';
import type { CreateSessionDto } from './dto/create-session.dto.js';
import { keypressErrors } from './session-body.pipe.js';
import { prepareUpload } from './session-upload.js';

const START = '2026-11-22T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();

function dto(overrides: Partial<CreateSessionDto> = {}): CreateSessionDto {
  return {
    id: '0190C8A4-0000-7000-8000-000000000001',
    startedAt: START,
    endedAt: at(60_000),
    appVersion: '1.0',
    device: { platform: 'ios', model: 'iPad8,1', osVersion: '17.4', details: { b: 1, a: 2 } },
    tasks: [
      { firstNumber: 3, operator: '+', secondNumber: 7, userAnswer: 4, answeredAt: at(3000) },
      { firstNumber: 9, operator: '-', secondNumber: 4, answeredAt: at(5000) },
      { firstNumber: 6, operator: '*', secondNumber: 42, userAnswer: 6, answeredAt: at(4000) },
      { firstNumber: 8, operator: '/', secondNumber: 2 },
    ],
    keypresses: [{ key: '4', at: at(2500) }],
    ...overrides,
  };
}

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UnprocessableProblem);
    return (error as UnprocessableProblem).getResponse() as { errors: { field: string }[] };
  }
  throw new Error('expected a 422');
}

describe('prepareUpload', () => {
  it('derives durationMs, isCorrect and the answer times', () => {
    const u = prepareUpload(dto());
    expect(u.id).toBe('0190c8a4-0000-7000-8000-000000000001');
    expect(u.durationMs).toBe(60_000);
    expect(u.tasks.map((t) => t.isCorrect)).toEqual([true, null, false, null]);
    // Ordered by answeredAt: 3000 (task 0), 4000 (task 2), 5000 (task 1, skipped).
    expect(u.tasks.map((t) => t.answerMs)).toEqual([3000, 1000, 1000, null]);
    expect(u.tasks.map((t) => t.visualHelp)).toEqual([false, false, false, false]);
  });

  it('hashes the normalized body: equal for a re-serialized retry, different for any change', () => {
    const base = prepareUpload(dto()).bodyHash;
    const same = prepareUpload(
      dto({
        startedAt: '2026-11-22T11:00:00+01:00',
        device: { platform: 'ios', model: 'iPad8,1', osVersion: '17.4', details: { a: 2, b: 1 } },
      }),
    ).bodyHash;
    expect(same).toBe(base);
    expect(prepareUpload(dto({ appVersion: '1.1' })).bodyHash).not.toBe(base);
    expect(prepareUpload(dto({ keypresses: [{ key: '5', at: at(2500) }] })).bodyHash).not.toBe(
      base,
    );
  });

  it('answers 422 with field paths for rules the DTO cannot express', () => {
    expect(problemOf(() => prepareUpload(dto({ endedAt: at(-1) }))).errors).toEqual([
      { field: 'endedAt', message: expect.any(String) },
    ]);
    const body = dto({ durationMs: 10_000, keypresses: [{ key: '1', at: at(61_000) }] });
    body.tasks[0] = { ...body.tasks[0], answeredAt: null };
    body.tasks[3] = { ...body.tasks[3], answeredAt: at(-5) };
    expect(problemOf(() => prepareUpload(body)).errors.map((e) => e.field)).toEqual([
      'durationMs',
      'tasks.0.answeredAt',
      'tasks.3.answeredAt',
      'keypresses.0.at',
    ]);
    expect(() => prepareUpload(dto({ durationMs: 60_999 }))).not.toThrow();
  });
});

describe('keypressErrors', () => {
  it('accepts { key, at } rows and names every problem by index', () => {
    expect(keypressErrors([{ key: 'backspace', at: START }])).toEqual([]);
    expect(keypressErrors(undefined)).toEqual([]);
    const fields = keypressErrors([
      { key: '', at: START },
      { key: 'x'.repeat(17), at: '2026-11-22T10:00:00' },
      { key: 7, at: '2026-13-40T10:00:00Z', extra: true },
      null,
    ]).map((e) => e.field);
    expect(fields).toEqual([
      'keypresses.0.key',
      'keypresses.1.key',
      'keypresses.1.at',
      'keypresses.2.extra',
      'keypresses.2.key',
      'keypresses.2.at',
      'keypresses.3',
    ]);
  });
});
