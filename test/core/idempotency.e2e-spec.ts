import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import type { Response } from 'supertest';
import { AUTH_TOKENS_SWEEP, hashToken, TokensService, User } from '#porch/accounts';
import { Authenticated, ExpiredRowsCleaner, Idempotent, rawQuery } from '#porch/core';
import { Invite } from '#porch/parties';
import { ClearExpiredCommand } from '../../apps/manage/src/commands/clearexpired.command.js';
import { bearer, createUser, issueTokens } from '../utils/factories.js';
import { createManageApp } from '../utils/manage.js';
import { createParty } from '../utils/party-factories.js';
import { sessionBody } from '../utils/tasks-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

class ProbeDto {
  @IsString()
  name!: string;
}

/** Test-only routes: one that fails on our side until told not to, one that takes its time. */
const probe = { failures: 0, runs: 0, slowRuns: 0 };
@Authenticated()
@Controller('idempotency-probe')
class IdempotencyProbeController {
  @Post('flaky')
  @Idempotent()
  flaky(@Body() body: ProbeDto) {
    probe.runs++;
    if (probe.failures > 0) {
      probe.failures--;
      throw new Error('the database fell over');
    }
    return { name: body.name, run: probe.runs };
  }

  @Post('slow')
  @Idempotent()
  @HttpCode(200)
  async slow(@Body() body: ProbeDto) {
    probe.slowRuns++;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { name: body.name };
  }
}
@Module({ controllers: [IdempotencyProbeController] })
class IdempotencyProbeModule {}

describe('Idempotency-Key on POST and PATCH', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ modules: [IdempotencyProbeModule] });
  });
  afterAll(() => t.close());

  const post = (path: string, auth: string, body: object, key?: string) => {
    const req = t.http.post(`/api/v1${path}`).set('Authorization', auth);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };

  async function hostWithParty() {
    const host = await createUser(t);
    const guest = await createUser(t);
    const party = await createParty(t, { host });
    return { host, guest, party, auth: await bearer(t, host) };
  }

  const invitesOf = (partyId: string) => t.em().count(Invite, { party: partyId });

  it('20 concurrent retries of one POST /invites with one key make one invite', async () => {
    const { guest, party, auth } = await hostWithParty();
    const key = randomUUID();
    const body = { partyId: party.id, guestId: guest.id, plusOnes: 1 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post('/invites', auth, body, key)),
    );
    const first = answers.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    const replayed = answers.filter((r) => r.headers['idempotent-replayed'] === 'true');
    const running = answers.filter((r) => r.status === 409);
    console.log(
      `20 concurrent retries: ${first.length} first 201, ${replayed.length} replayed, ` +
        `${running.length} 409 in progress, ${await invitesOf(party.id)} invite row(s)`,
    );
    expect(first).toHaveLength(1);
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    expect(first.length + replayed.length + running.length).toBe(20);
    for (const r of replayed) {
      expect(r.status).toBe(201);
      expect(r.body).toEqual(first[0].body);
      expect(r.headers['content-type']).toBe(first[0].headers['content-type']);
    }
    for (const r of running) {
      expect(r.headers['retry-after']).toBe('1');
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await invitesOf(party.id)).toBe(1);

    // Once settled, every retry is the stored answer.
    const later = await post('/invites', auth, body, key).expect(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body).toEqual(first[0].body);
  });

  it('replays a sequential retry; another body under the same key is a 422', async () => {
    const { guest, party, auth } = await hostWithParty();
    const key = randomUUID();
    const first = await post('/invites', auth, { partyId: party.id, guestId: guest.id }, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same body with its keys in another order is the same request.
    const again = await post('/invites', auth, { guestId: guest.id, partyId: party.id }, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);

    const other = await createUser(t);
    const mismatch = await post('/invites', auth, { partyId: party.id, guestId: other.id }, key);
    expect(mismatch.status).toBe(422);
    expect(mismatch.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(mismatch.body.detail).toMatch(/already used with another request/);
    expect(await invitesOf(party.id)).toBe(1);
  });

  it('changes nothing without a key: a second POST is the duplicate-invite 409', async () => {
    const { guest, party, auth } = await hostWithParty();
    const body = { partyId: party.id, guestId: guest.id };
    const first = await post('/invites', auth, body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await post('/invites', auth, body);
    expect(second.status).toBe(409);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await invitesOf(party.id)).toBe(1);
  });

  it("keeps each caller's keys apart", async () => {
    const a = await hostWithParty();
    const b = await hostWithParty();
    const key = randomUUID();
    const fromA = await post('/invites', a.auth, { partyId: a.party.id, guestId: a.guest.id }, key);
    const fromB = await post('/invites', b.auth, { partyId: b.party.id, guestId: b.guest.id }, key);
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    expect(fromB.headers['idempotent-replayed']).toBeUndefined();
    expect(fromB.body.id).not.toBe(fromA.body.id);
    // The same key on another route is another key too.
    const me = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', a.auth)
      .set('Idempotency-Key', key)
      .send({ name: 'Keyed' });
    expect(me.status).toBe(200);
    expect(me.headers['idempotent-replayed']).toBeUndefined();
  });

  it('replays PATCH /users/me, and stores a 4xx answer as the answer', async () => {
    const user = await createUser(t, { name: 'Before' });
    const auth = await bearer(t, user);
    const key = randomUUID();
    const patch = (body: object, k = key) =>
      t.http
        .patch('/api/v1/users/me')
        .set('Authorization', auth)
        .set('Idempotency-Key', k)
        .send(body);
    const first = await patch({ name: 'After' });
    expect(first.status).toBe(200);
    // Someone else changes the name meanwhile: the retry still gets the first answer, unapplied.
    await t.em().nativeUpdate(User, { id: user.id }, { name: 'Changed elsewhere' });
    const again = await patch({ name: 'After' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await t.em().findOneOrFail(User, user.id)).name).toBe('Changed elsewhere');

    const invalidKey = randomUUID();
    const invalid = await patch({ name: 12 }, invalidKey);
    expect(invalid.status).toBe(400);
    const invalidAgain = await patch({ name: 12 }, invalidKey);
    expect(invalidAgain.status).toBe(400);
    expect(invalidAgain.headers['idempotent-replayed']).toBe('true');
    expect(invalidAgain.headers['content-type']).toMatch(/^application\/problem\+json/);
    const { requestId: _a, ...firstProblem } = invalid.body;
    const { requestId: _b, ...replayedProblem } = invalidAgain.body;
    expect(replayedProblem).toEqual(firstProblem);
    expect(invalidAgain.body.requestId).toBe(invalidAgain.headers['x-request-id']);
  });

  it('replays the status a handler chose (POST /sessions: 201 first, 200 for its own retry)', async () => {
    const auth = await bearer(t, await createUser(t));
    const body = sessionBody();
    const key = randomUUID();
    const first = await post('/sessions', auth, body, key);
    expect(first.status).toBe(201);
    const replayed = await post('/sessions', auth, body, key);
    expect([replayed.status, replayed.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(replayed.body).toEqual(first.body);
    // Without the key, the route's own idempotency (the client's session id) answers 200.
    expect((await post('/sessions', auth, body)).status).toBe(200);
  });

  it('releases the key when the first request fails on our side: the retry runs', async () => {
    const auth = await bearer(t, await createUser(t));
    const key = randomUUID();
    probe.failures = 1;
    probe.runs = 0;
    const failed = await post('/idempotency-probe/flaky', auth, { name: 'x' }, key);
    expect(failed.status).toBe(500);
    const retried = await post('/idempotency-probe/flaky', auth, { name: 'x' }, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual({ name: 'x', run: 2 });
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const replayed = await post('/idempotency-probe/flaky', auth, { name: 'x' }, key);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual({ name: 'x', run: 2 });
    expect(probe.runs).toBe(2);
  });

  it('answers 409 with Retry-After while the first request runs', async () => {
    const auth = await bearer(t, await createUser(t));
    const key = randomUUID();
    probe.slowRuns = 0;
    const first = post('/idempotency-probe/slow', auth, { name: 'slow' }, key).then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await post('/idempotency-probe/slow', auth, { name: 'slow' }, key);
    expect(during.status).toBe(409);
    expect(during.headers['retry-after']).toBe('1');
    expect(during.body.detail).toMatch(/still being processed/);
    expect((await first).status).toBe(200);
    const after = await post('/idempotency-probe/slow', auth, { name: 'slow' }, key);
    expect(after.status).toBe(200);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(probe.slowRuns).toBe(1);
  });

  it('refuses a malformed key with 400; accepts a Structured Field string', async () => {
    const auth = await bearer(t, await createUser(t));
    const bad = async (key: string) => {
      const res: Response = await post('/idempotency-probe/flaky', auth, { name: 'k' }, key);
      expect([key, res.status, res.headers['content-type']]).toEqual([
        key,
        400,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(res.body.detail).toMatch(/Idempotency-Key/);
    };
    await bad('x'.repeat(256));
    await bad('"unterminated\\"');
    await bad('""');
    const quoted = randomUUID();
    const first = await post('/idempotency-probe/flaky', auth, { name: 'q' }, `"${quoted}"`);
    expect(first.status).toBe(201);
    // The bare and the quoted spelling are the same key.
    const bare = await post('/idempotency-probe/flaky', auth, { name: 'q' }, quoted);
    expect(bare.headers['idempotent-replayed']).toBe('true');
    expect(
      (await post('/idempotency-probe/flaky', auth, { name: 'k' }, 'x'.repeat(255))).status,
    ).toBe(201);
  });

  it('ignores the header where a route opts out (tokens are never stored)', async () => {
    const user = await createUser(t);
    const key = randomUUID();
    const login = () =>
      t.http
        .post('/api/v1/auth/login')
        .set('Idempotency-Key', key)
        .send({ email: user.email, password: 'correct-horse-battery-staple' });
    const [a, b] = [await login(), await login()];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.access_token).not.toBe(a.body.access_token);
    const stored = await rawQuery<{ n: number }>(
      t.em(),
      `select count(*)::int as n from idempotency_keys where key = ?`,
      [key],
    );
    expect(stored[0].n).toBe(0);
  });

  it('deletes expired keys and expired tokens (manage clearexpired; the API sweep runs the same two)', async () => {
    const em = t.em();
    const user = await createUser(t);
    const expiredKey = randomUUID();
    const liveKey = randomUUID();
    const auth = await bearer(t, user);
    for (const key of [expiredKey, liveKey])
      expect((await post('/idempotency-probe/flaky', auth, { name: key }, key)).status).toBe(201);
    await rawQuery(
      em,
      `update idempotency_keys set expires_at = now() - interval '1 second' where key = ?`,
      [expiredKey],
    );

    // A login whose tokens have all expired; another whose access token alone has, and whose
    // spent refresh token expired while its successor lives (reuse detection must still see it).
    const dead = await issueTokens(t, user);
    const tokens = t.app.get(TokensService);
    const live = await issueTokens(t, user);
    const rotated = await tokens.rotate(live.refresh_token);
    expect(rotated.ok).toBe(true);
    const hash = (token: string) =>
      rawQuery<{ family: string }>(em, `select family from auth_tokens where token_hash = ?`, [
        hashToken(token),
      ]);
    const [deadFamily] = await hash(dead.access_token);
    const [liveFamily] = await hash(live.access_token);
    await rawQuery(
      em,
      `update auth_tokens set expires_at = now() - interval '1 second' where family = ?`,
      [deadFamily.family],
    );
    await rawQuery(
      em,
      `update auth_tokens set expires_at = now() - interval '1 second'
        where token_hash in (?, ?)`,
      [hashToken(live.access_token), hashToken(live.refresh_token)],
    );

    expect(t.app.get(ExpiredRowsCleaner).tables).toEqual([
      'idempotency_keys',
      AUTH_TOKENS_SWEEP.table,
    ]);
    const manage = await createManageApp({ databaseUrl: t.databaseUrl });
    try {
      const output = await manage.run(ClearExpiredCommand);
      expect(output).toBe(
        'idempotency_keys: 1 expired row deleted\nauth_tokens: 3 expired rows deleted\n',
      );
      expect(await manage.run(ClearExpiredCommand)).toMatch(
        /idempotency_keys: 0 .*\nauth_tokens: 0 /,
      );
    } finally {
      await manage.close();
    }
    const keys = await rawQuery<{ key: string }>(
      em,
      `select key from idempotency_keys where key in (?, ?)`,
      [expiredKey, liveKey],
    );
    expect(keys.map((k) => k.key)).toEqual([liveKey]);
    expect(await hash(dead.refresh_token)).toEqual([]);
    expect(await hash(live.access_token)).toEqual([]);
    // The spent refresh token is kept: reusing it still revokes its family.
    expect(await hash(live.refresh_token)).toEqual([liveFamily]);
    expect(await tokens.rotate(live.refresh_token)).toEqual({ ok: false, reason: 'reused' });
  });
});
