import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoDataLoader, REPO_ROOT } from '#porch/core';
import { createUser, issueTokens } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import {
  type FuzzRequest,
  type OpenApiDocument,
  type Operation,
  operations,
  requestsFor,
} from './openapi-generator.js';

interface Finding {
  request: string;
  status: number;
  body: string;
}

/**
 * Walks the committed openapi.json — every operation, every parameter and body property — with
 * malformed values (wrong types, NUL, huge and negative numbers, deep nesting, 2 MB strings, bad
 * UUIDs and dates, bad content types, missing and unknown fields), as a normal user and as
 * staff, against the real app on PostgreSQL with the demo data loaded. Any 5xx fails it (SPEC
 * §2: a 500 is always a bug). New routes are covered as soon as openapi.json lists them.
 */
describe('OpenAPI fuzz: no malformed request gets a 5xx', () => {
  let t: TestApp;
  const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi.json'), 'utf8')) as OpenApiDocument;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
        LOGIN_MAX_FAILURES: '100000000',
      },
    });
    await t.app.get(DemoDataLoader).load();
    const q = <T>(sql: string, params: unknown[] = []) =>
      t.em().getConnection().execute<T[]>(sql, params);
    const [host] = await q<{ id: string }>(
      `select id from users where email = 'host1@demo.porch.test'`,
    );
    const [guest] = await q<{ id: string }>(
      `select id from users where email = 'guest1@demo.porch.test'`,
    );
    const [party] = await q<{ id: string }>(
      'select id from parties where host_id = ? order by first_entry desc limit 1',
      [host.id],
    );
    const [invite] = await q<{ id: string }>(
      'select i.id from invites i join parties p on p.id = i.party_id where p.host_id = ? limit 1',
      [host.id],
    );
    const [session] = await q<{ id: string }>('select id from sessions limit 1');
    const [region] = await q<{ hr_uid: string }>('select hr_uid from health_region limit 1');
    Object.assign(ids, {
      me: host.id,
      guest: guest.id,
      party: party.id,
      invite: invite.id,
      session: session.id,
      hrUid: String(region.hr_uid),
    });
    const staff = await createUser(t, { isStaff: true, name: 'Fuzz Staff' });
    ids.staff = staff.id;
    const group = await t.http
      .post('/api/v1/groups')
      .set('Authorization', `Bearer ${(await issueTokens(t, host)).access_token}`)
      .send({ name: 'Fuzz group' });
    ids.group = group.body.id ?? party.id;
  }, 120_000);
  afterAll(() => t?.close());

  /** The real row a name stands for in a path, for baselines that reach real code. */
  const fixtures = (name: string, path: string): string | undefined => {
    const owner = /\/api\/v1\/(\w[\w-]*)\//.exec(path)?.[1];
    if (name === 'id')
      return (
        {
          users: ids.guest,
          parties: ids.party,
          invites: ids.invite,
          sessions: ids.session,
          groups: ids.group,
        } as Record<string, string>
      )[owner ?? ''];
    if (name === 'userId') return path.includes('/groups/') ? ids.guest : 'me';
    if (name === 'partyId') return ids.party;
    if (name === 'guestId') return ids.guest;
    if (name === 'sessionId') return ids.session;
    if (name === 'groupId') return ids.group;
    if (name === 'userIds') return ids.guest;
    if (name === 'hrUid') return ids.hrUid;
    if (name === 'code') return path.includes('/fsa/') ? 'K1A' : 'ON';
    if (name === 'resource') return 'users';
    return undefined;
  };

  async function send(r: FuzzRequest, auth: string | undefined) {
    let req = t.http[r.method as 'get'](r.path);
    if (r.query.length)
      req = req.query(
        r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
      );
    if (auth) req = req.set('Authorization', auth);
    for (const [k, v] of Object.entries(r.headers)) req = req.set(k, v);
    if (r.multipart) {
      for (const [k, v] of Object.entries(r.multipart)) req = req.field(k, v);
    } else if (r.raw !== undefined) req = req.send(r.raw);
    else if (r.body !== undefined && r.method !== 'get' && r.method !== 'delete')
      req = req.set('content-type', 'application/json').send(JSON.stringify(r.body));
    const res = await req.timeout(60_000); // generous: a loaded CI machine is slow, a hang is not
    return { status: res.status, body: res.text?.slice(0, 300) ?? '' };
  }

  it('answers every request below 500', async () => {
    // Deletions last (DELETE /users/me very last): the callers' data must last the whole walk.
    const ops = operations(doc).sort(
      (a: Operation, b: Operation) =>
        Number(a.method === 'delete') - Number(b.method === 'delete') ||
        Number(a.path.endsWith('/users/me')) - Number(b.path.endsWith('/users/me')),
    );
    const findings: Finding[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const started = Date.now();
    for (const op of ops) {
      // Fresh tokens per operation: a walk over /auth/logout may revoke the last ones.
      const callers = op.secured
        ? [
            `Bearer ${(await issueTokens(t, { id: ids.me })).access_token}`,
            `Bearer ${(await issueTokens(t, { id: ids.staff })).access_token}`,
          ]
        : [undefined, `Bearer ${(await issueTokens(t, { id: ids.me })).access_token}`];
      for (const request of requestsFor(op, fixtures)) {
        for (const auth of callers) {
          const res = await send(request, auth).catch((error: Error) => ({
            status: 599,
            body: `no answer: ${error.message}`,
          }));
          sent++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500)
            findings.push({
              request: `${op.method.toUpperCase()} ${op.path} [${request.label}] as ${auth === callers[0] ? (op.secured ? 'user' : 'anonymous') : op.secured ? 'staff' : 'user'}`,
              status: res.status,
              body: res.body,
            });
        }
      }
    }
    console.log(
      `OpenAPI fuzz: ${ops.length} operations, ${sent} requests in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `statuses ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}; ` +
        `${findings.length} answered 5xx`,
    );
    expect(findings).toEqual([]);
  }, 900_000);
});
