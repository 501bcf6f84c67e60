import { createTestApp, type TestApp } from '../utils/test-app.js';
import { learner, postSession, sessionBody, type TaskBody } from '../utils/tasks-factories.js';

const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();
const S1 = '2026-11-22T10:00:00.000Z';
const S2 = '2026-11-22T11:00:00.000Z';

/**
 * Two sessions with hand-picked answers and times (ms after the session start). Answer time =
 * gap to the previous answeredAt in the session (or to the start). Expected per operator:
 *   +  count 4, answered 3 (2000 ✓, 3000 ✗, 500 ✓)          accuracy 2/3, median 2000
 *   -  count 2, answered 2 (1000 ✓, 2000 ✓)                 accuracy 1,   median 1500
 *   *  count 2, answered 1 (4000 ✓)                         accuracy 1,   median 4000
 *   /  count 2, answered 2 (1000 ✓, 1000 ✗ — after a skip)  accuracy 1/2, median 1000
 *   overall count 10, answered 8, correct 6: times 500 1000 1000 1000 2000 2000 3000 4000 → 1500
 */
const session1: TaskBody[] = [
  { firstNumber: 3, operator: '+', secondNumber: 7, userAnswer: 4, answeredAt: at(S1, 2000) },
  { firstNumber: 5, operator: '+', secondNumber: 9, userAnswer: 3, answeredAt: at(S1, 5000) },
  { firstNumber: 9, operator: '-', secondNumber: 4, userAnswer: 5, answeredAt: at(S1, 6000) },
  { firstNumber: 6, operator: '*', secondNumber: 42, userAnswer: 7, answeredAt: at(S1, 10000) },
  { firstNumber: 12, operator: '/', secondNumber: 4, userAnswer: 3, answeredAt: at(S1, 11000) },
  // Timed out without an answer: counts, and its time closes the previous gap.
  { firstNumber: 2, operator: '+', secondNumber: 5, answeredAt: at(S1, 12000) },
  { firstNumber: 7, operator: '/', secondNumber: 2, userAnswer: 3, answeredAt: at(S1, 13000) },
  { firstNumber: 4, operator: '*', secondNumber: 8 },
];
const session2: TaskBody[] = [
  { firstNumber: 1, operator: '+', secondNumber: 2, userAnswer: 1, answeredAt: at(S2, 500) },
  { firstNumber: 8, operator: '-', secondNumber: 10, userAnswer: -2, answeredAt: at(S2, 2500) },
];

describe("GET /tasks and /tasks/stats: the caller's own", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('computes isCorrect on the server for each operator, 3 + ? = 7 included', async () => {
    const { auth } = await learner(t);
    const body = sessionBody({ startedAt: S1, tasks: session1, keypresses: 0 });
    const created = await postSession(t, auth, body).expect(201);
    expect(created.body).toMatchObject({ taskCount: 8, correctCount: 4 });
    const res = await t.http
      .get(`/api/v1/tasks?sessionId=${body.id}&ordering=answeredAt&limit=100`)
      .set('Authorization', auth)
      .expect(200);
    const summary = res.body.results.map(
      (r: { firstNumber: number; operator: string; secondNumber: number; userAnswer: number }) =>
        `${r.firstNumber} ${r.operator} ${r.userAnswer ?? '_'} = ${r.secondNumber}`,
    );
    expect(summary).toEqual([
      '3 + 4 = 7',
      '5 + 3 = 9',
      '9 - 5 = 4',
      '6 * 7 = 42',
      '12 / 3 = 4',
      '2 + _ = 5',
      '7 / 3 = 2',
      '4 * _ = 8', // never answered: sorts last
    ]);
    expect(res.body.results.map((r: { isCorrect: boolean | null }) => r.isCorrect)).toEqual([
      true,
      false,
      true,
      true,
      true,
      null,
      false,
      null,
    ]);
    expect(res.body.results[0]).toEqual({
      id: expect.any(String),
      sessionId: body.id,
      position: 0,
      firstNumber: 3,
      operator: '+',
      secondNumber: 7,
      userAnswer: 4,
      answeredAt: at(S1, 2000),
      answerMs: 2000,
      visualHelp: false,
      isCorrect: true,
      createdAt: expect.any(String),
    });
    expect(res.body.results.map((r: { answerMs: number | null }) => r.answerMs)).toEqual([
      2000,
      3000,
      1000,
      4000,
      1000,
      1000,
      1000,
      null,
    ]);
  });

  it('computes count, accuracy and median answer time per operator (hand-computed)', async () => {
    const { auth } = await learner(t);
    const empty = await t.http.get('/api/v1/tasks/stats').set('Authorization', auth).expect(200);
    expect(empty.body.overall).toEqual({
      count: 0,
      answered: 0,
      correct: 0,
      accuracy: null,
      medianAnswerMs: null,
    });
    expect(empty.body.operators.map((o: { operator: string }) => o.operator)).toEqual([
      '+',
      '-',
      '*',
      '/',
    ]);

    await postSession(t, auth, sessionBody({ startedAt: S1, tasks: session1 })).expect(201);
    await postSession(t, auth, sessionBody({ startedAt: S2, tasks: session2 })).expect(201);
    // Someone else's tasks change nothing.
    const other = await learner(t);
    await postSession(t, other.auth, sessionBody({ tasks: 30 })).expect(201);

    const res = await t.http.get('/api/v1/tasks/stats').set('Authorization', auth).expect(200);
    expect(res.body).toEqual({
      overall: { count: 10, answered: 8, correct: 6, accuracy: 0.75, medianAnswerMs: 1500 },
      operators: [
        {
          operator: '+',
          count: 4,
          answered: 3,
          correct: 2,
          accuracy: 2 / 3,
          medianAnswerMs: 2000,
        },
        { operator: '-', count: 2, answered: 2, correct: 2, accuracy: 1, medianAnswerMs: 1500 },
        { operator: '*', count: 2, answered: 1, correct: 1, accuracy: 1, medianAnswerMs: 4000 },
        { operator: '/', count: 2, answered: 2, correct: 1, accuracy: 0.5, medianAnswerMs: 1000 },
      ],
    });
  });

  it('filters my tasks by operator, session and store time, paginated', async () => {
    const { user, auth } = await learner(t);
    const old = sessionBody({ tasks: 8, keypresses: 0 });
    const recent = sessionBody({ tasks: 4, keypresses: 0 });
    await postSession(t, auth, old).expect(201);
    await postSession(t, auth, recent).expect(201);
    // The first upload happened an hour ago (the server's clock is what `since` compares).
    await t
      .em()
      .getConnection()
      .execute(
        `update tasks set created_at = created_at - interval '1 hour' where session_id = ?`,
        [old.id],
      );
    const get = (q: string) => t.http.get(`/api/v1/tasks${q}`).set('Authorization', auth);

    const all = await get('?limit=5').expect(200);
    expect(all.body.count).toBe(12);
    expect(all.body.results).toHaveLength(5);
    expect(new URL(all.body.next).searchParams.get('offset')).toBe('5');
    // Newest stored first.
    expect(all.body.results[0].sessionId).toBe(recent.id);

    const since = new Date(Date.now() - 30 * 60_000).toISOString();
    const fresh = await get(`?since=${encodeURIComponent(since)}&limit=100`).expect(200);
    expect(fresh.body.count).toBe(4);
    expect(new Set(fresh.body.results.map((r: { sessionId: string }) => r.sessionId))).toEqual(
      new Set([recent.id]),
    );

    const plus = await get('?operator=%2B&limit=100').expect(200);
    expect(plus.body.count).toBe(3); // positions 0 and 4 of the first upload, 0 of the second
    expect(plus.body.results.every((r: { operator: string }) => r.operator === '+')).toBe(true);
    // An unencoded "+" arrives as a space; it can only have meant "+".
    expect((await get('?operator=+').expect(200)).body.count).toBe(3);
    expect((await get('?operator=/').expect(200)).body.count).toBe(3);

    const bySession = await get(`?sessionId=${recent.id}&ordering=answeredAt`).expect(200);
    expect(bySession.body.results.map((r: { position: number }) => r.position)).toEqual([
      0, 1, 2, 3,
    ]);

    const bad = await get('?operator=%25&since=yesterday&sessionId=x&colour=red').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'colour',
      'operator',
      'sessionId',
      'since',
    ]);
    expect(user.id).toBeDefined();
  });
});
