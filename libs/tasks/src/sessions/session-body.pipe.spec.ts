import { createValidationPipe, type ProblemDetails, ValidationProblem } from '#porch/core';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { SessionBodyPipe } from './session-body.pipe.js';

/** The errors a validation throws, or [] when it passes. */
async function errorsOf(run: () => Promise<unknown>) {
  try {
    await run();
    return [];
  } catch (error) {
    if (!(error instanceof ValidationProblem)) throw error;
    return (error.getResponse() as ProblemDetails).errors ?? [];
  }
}

const session = {
  id: '00000000-0000-4000-8000-000000000000',
  startedAt: '2026-11-22T20:00:00.000Z',
  endedAt: '2026-11-22T20:10:00.000Z',
  appVersion: '2.3.1',
  device: { platform: 'android', model: 'Tab', osVersion: '14' },
  keypresses: [],
};
const good = { firstNumber: 3, secondNumber: 7, operator: '+', userAnswer: 4 };

describe('SessionBodyPipe tasks', () => {
  // The pipe checks tasks by hand; class-validator over the DTO is the reference it must match.
  it.each([
    ['valid tasks', [good, { ...good, userAnswer: null, answeredAt: null, visualHelp: true }]],
    ['non-objects', [5, null, 'x', true]],
    [
      'every rule broken',
      [
        {
          firstNumber: 'a',
          secondNumber: 1.5,
          operator: '%',
          userAnswer: 2_000_000,
          answeredAt: 'yesterday',
          visualHelp: 1,
          extra: 2,
        },
      ],
    ],
    ['missing fields', [{}]],
    ['bounds', [{ ...good, firstNumber: -1_000_001, secondNumber: 1_000_000, userAnswer: -1e6 }]],
    [
      'timestamps',
      [
        { ...good, answeredAt: '2026-11-22T20:00:00' },
        { ...good, answeredAt: 7 },
      ],
    ],
  ])('reports %s as class-validator does', async (_what, tasks) => {
    const body = { ...session, tasks };
    const reference = await errorsOf(() =>
      createValidationPipe().transform(body, { type: 'body', metatype: CreateSessionDto }),
    );
    const errors = await errorsOf(() => new SessionBodyPipe().transform(body));
    expect(errors).toEqual(reference);
  });

  it('hands the tasks on as sent', async () => {
    const dto = await new SessionBodyPipe().transform({ ...session, tasks: [good] });
    expect(dto.tasks).toEqual([good]);
    expect(dto.device.model).toBe('Tab');
  });

  it('leaves a non-list to the DTO', async () => {
    const errors = await errorsOf(() => new SessionBodyPipe().transform({ ...session, tasks: {} }));
    expect(errors.map((e) => e.field)).toContain('tasks');
  });
});
