import { demoGuestEmail, User } from '#porch/accounts';
import { DemoData, PorchDemoData, type DemoContext } from '#porch/core';
import type { CreateSessionDto } from './sessions/dto/create-session.dto.js';
import { SessionsService } from './sessions/sessions.service.js';

/** A fixed id: the session is stored once, whatever the number of loads. */
const DEMO_SESSION_ID = '019a0000-0000-7000-8000-00000000d3e0';
const OPERATORS = ['+', '-', '*', '/'] as const;

/** One measurement session of "Guest 1": twelve arithmetic tasks and their keypresses. */
@PorchDemoData({ module: 'tasks', order: 50 })
export class TasksDemoData extends DemoData {
  constructor(private readonly sessions: SessionsService) {
    super();
  }

  async load({ em, now, created }: DemoContext): Promise<void> {
    const learner = await em.findOne(User, { email: demoGuestEmail(1) });
    if (!learner) return;
    const started = new Date(now.getTime() - 26 * 3600_000);
    const at = (s: number) => new Date(started.getTime() + s * 1000).toISOString();
    const tasks = Array.from({ length: 12 }, (_, i) => {
      const operator = OPERATORS[i % 4];
      const x = 2 + (i % 5);
      const first = operator === '-' ? 10 + x : operator === '/' ? x * 3 : 3 + i;
      const second =
        operator === '+' ? first + x : operator === '-' ? 10 : operator === '*' ? first * x : 3;
      const answer = i % 5 === 4 ? x + 1 : x; // every fifth answer is wrong
      return {
        firstNumber: first,
        secondNumber: second,
        operator,
        userAnswer: answer,
        answeredAt: at(10 + i * 15),
        visualHelp: i % 3 === 0,
      };
    });
    const dto = {
      id: DEMO_SESSION_ID,
      startedAt: at(0),
      endedAt: at(200),
      appVersion: '1.0.0',
      device: {
        platform: 'android',
        model: 'Demo Tablet',
        osVersion: '14',
        details: { locale: 'en-CA', screen: '1280x800', appBuild: 120, darkMode: false },
      },
      tasks,
      keypresses: tasks.map((t, i) => ({ key: String(t.userAnswer), at: at(9 + i * 15) })),
    } as unknown as CreateSessionDto;
    if (await this.sessions.storeIn(em, learner, dto)) created('Session', 1);
  }
}
