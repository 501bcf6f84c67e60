import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Response } from 'supertest';
import { demoGuestEmail, demoHostEmail, User } from '#porch/accounts';
import { DEMO_PASSWORD, DemoDataLoader, REPO_ROOT } from '#porch/core';
import {
  GOOD_PASSWORD,
  PNG,
  uniqueEmail,
  verificationCode,
  waitForEmails,
} from '../utils/accounts-factories.js';
import { bearer, createUser } from '../utils/factories.js';
import { sessionBody } from '../utils/tasks-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Json = Record<string, unknown>;
interface MediaType {
  schema?: Json;
  example?: unknown;
  examples?: unknown;
}
interface Operation {
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { description?: string; content?: Record<string, MediaType> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const DOCUMENT = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi.json'), 'utf8')) as Document;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

const operations = Object.entries(DOCUMENT.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
);

/** The documented operation a request lands on (templates matched as Express does). */
function operationOf(method: string, url: string) {
  const path = url.split('?')[0];
  const candidates = operations.filter(
    (o) =>
      o.method === method.toLowerCase() &&
      new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(path),
  );
  // A literal segment beats a parameter (`/users/me` over `/users/{id}`).
  candidates.sort((a, b) => a.path.split('{').length - b.path.split('{').length);
  return candidates[0];
}

/**
 * OpenAPI 3.0's `nullable` as JSON Schema (ajv): a null type beside the given one, or, beside
 * `allOf`/`$ref` (which 3.0 writes without a type), "that or null".
 */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, jsonSchema(v)]),
  ) as Json;
  if (nullable !== true) return rest;
  if (typeof rest.type === 'string') {
    const out: Json = { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.enum)) out.enum = [...(rest.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [rest, { type: 'null' }] };
}

/** A JSON schema of the document, `$ref`s resolved against its components (ajv, compiled once). */
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addFormat('binary', true);
ajv.addSchema({ $id: 'openapi.json', components: jsonSchema(DOCUMENT.components) });
const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: Json): ValidateFunction {
  const text = JSON.stringify(jsonSchema(schema)).replaceAll(
    '"#/components/',
    '"openapi.json#/components/',
  );
  let validate = compiled.get(text);
  if (!validate) compiled.set(text, (validate = ajv.compile(JSON.parse(text) as Json)));
  return validate;
}

/** Every property of a schema (through `$ref`, `allOf`, arrays, nested objects) has an example. */
function unexemplified(schema: Json | undefined, seen = new Set<string>()): string[] {
  if (!schema) return [];
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    if (seen.has(name)) return [];
    seen.add(name);
    return unexemplified(DOCUMENT.components.schemas[name], seen).map((p) => `${name}.${p}`);
  }
  if (Array.isArray(schema.allOf))
    return (schema.allOf as Json[]).flatMap((s) => unexemplified(s, seen));
  if (schema.type === 'array') return unexemplified(schema.items as Json, seen);
  return Object.entries((schema.properties ?? {}) as Record<string, Json>).flatMap(([name, p]) => {
    const nested = p.$ref || p.allOf || (p.type === 'array' && (p.items as Json).$ref);
    if (nested) return unexemplified(p, seen);
    return p.example !== undefined || p.examples !== undefined || p.enum ? [] : [name];
  });
}

describe('the OpenAPI document (openapi.json, as committed)', () => {
  it('is a valid OpenAPI document (@seriousme/openapi-schema-validator)', async () => {
    const result = await new Validator().validate(DOCUMENT as unknown as Json);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('names each schema once: accounts owns the user shapes, with `role` on public profiles', () => {
    const names = Object.keys(DOCUMENT.components.schemas);
    expect(names.filter((n) => /PublicProfile/.test(n))).toEqual(['PublicProfileDto']);
    const profile = DOCUMENT.paths['/api/v1/users/{id}'].get.responses['200'].content![
      'application/json'
    ].schema as Json;
    expect(profile.$ref).toBe('#/components/schemas/PublicProfileDto');
    expect(Object.keys(DOCUMENT.components.schemas.PublicProfileDto.properties as Json)).toEqual(
      expect.arrayContaining(['id', 'name', 'department', 'gender', 'role', 'photoUrl']),
    );
    // Every $ref points at a schema that exists.
    const refs = JSON.stringify(DOCUMENT).match(/#\/components\/schemas\/[\w.-]+/g) ?? [];
    for (const ref of new Set(refs)) expect(names).toContain(ref.split('/').pop());
  });

  it('documents errors as application/problem+json, each with the example of its own status', () => {
    let checked = 0;
    for (const { path, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const types = Object.keys(response.content ?? {});
        // RFC 6749 §5.2: the token endpoints' errors keep OAuth2's own JSON shape.
        if (types.includes('application/json') && path.startsWith('/api/v1/auth/')) {
          const schema = response.content!['application/json'].schema as Json;
          if (schema.$ref === '#/components/schemas/OAuthErrorDto') continue;
        }
        expect([method, path, status, types]).toEqual([
          method,
          path,
          status,
          ['application/problem+json'],
        ]);
        const example = response.content!['application/problem+json'].example as Json;
        expect([method, path, status, example?.status]).toEqual([
          method,
          path,
          status,
          Number(status),
        ]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    const examples = new Set(
      operations.flatMap((o) =>
        Object.values(o.operation.responses).map((r) =>
          JSON.stringify(r.content?.['application/problem+json']?.example ?? null),
        ),
      ),
    );
    // 401, 403, 404, 409, 422, 429 and 400 each have their own.
    expect(examples.size).toBeGreaterThanOrEqual(8);
  });

  it('describes bearer tokens as opaque (no bearerFormat: JWT)', () => {
    expect(DOCUMENT.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(DOCUMENT.components.securitySchemes.bearer).not.toHaveProperty('bearerFormat');
  });

  it('has an example for every request body and every JSON success response', () => {
    const missing: string[] = [];
    for (const { path, method, operation } of operations) {
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}))
        if (media.example === undefined && media.examples === undefined)
          missing.push(
            ...unexemplified(media.schema).map((p) => `${method} ${path} ${type}: ${p}`),
          );
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith('2')) continue;
        for (const [type, media] of Object.entries(response.content ?? {}))
          if (type.includes('json') && media.example === undefined && media.examples === undefined)
            missing.push(
              ...unexemplified(media.schema).map((p) => `${method} ${path} ${status}: ${p}`),
            );
      }
    }
    expect(missing).toEqual([]);
  });
});

/**
 * What the server really sends, on the demo data, checked against the committed document: each
 * answer's status is documented for its operation, its content type is the documented one, and
 * a JSON body validates against the documented schema (ajv).
 */
describe('the running API against its document', () => {
  let t: TestApp;
  const seen: Array<{ call: string; problems: string[] }> = [];
  const covered = new Set<string>();

  /** Checks one answer against the document; collects what does not match. */
  function check(res: Response, method: string, url: string): Response {
    const call = `${method.toUpperCase()} ${url} → ${res.status}`;
    const problems: string[] = [];
    const found = operationOf(method, url);
    if (!found) problems.push('no documented operation');
    else {
      covered.add(`${found.method} ${found.path}`);
      const documented = found.operation.responses[String(res.status)];
      if (!documented)
        problems.push(`status not documented (${Object.keys(found.operation.responses)})`);
      else {
        const type = String(res.headers['content-type'] ?? '').split(';')[0];
        const content = documented.content ?? {};
        if (res.status === 204 || res.status === 304) {
          if (res.text) problems.push('a body on a bodiless status');
        } else if (!type) {
          if (Object.keys(content).length) problems.push('no content type, one documented');
        } else if (!content[type]) {
          problems.push(`content type ${type} not documented (${Object.keys(content)})`);
        } else if (type.includes('json') && content[type].schema) {
          const validate = validatorFor(content[type].schema);
          if (!validate(res.body))
            problems.push(`body does not match its schema: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
    seen.push({ call, problems });
    return res;
  }

  const call = (
    method: 'get' | 'post' | 'patch' | 'put' | 'delete',
    url: string,
    auth?: string,
    body?: object,
  ) => {
    let req = t.http[method](url);
    if (auth) req = req.set('Authorization', auth);
    return (body ? req.send(body) : req).then((res) => check(res, method, url));
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        LOGIN_MAX_FAILURES: '2',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'porch-openapi-')),
        MAIL_TRANSPORT: 'file',
      },
    });
    await t.app.get(DemoDataLoader).load();
  }, 120_000);
  afterAll(() => t.close());

  it('answers as documented, operation by operation, on the demo data', async () => {
    const em = t.em();
    const byEmail = async (email: string) => em.findOneOrFail(User, { email });
    const host3 = await byEmail(demoHostEmail(3)); // hosts FUTUREPARTY1
    const guest1 = await byEmail(demoGuestEmail(1)); // invited to FUTUREPARTY1, has a session
    const guest2 = await byEmail(demoGuestEmail(2)); // confirmed for FUTUREPARTY1
    const asHost = await bearer(t, host3);
    const asGuest1 = await bearer(t, guest1);
    const asGuest2 = await bearer(t, guest2);
    const asStaff = await bearer(t, await createUser(t, { isStaff: true }));
    const nobody = randomUUID();

    // Index, health, authentication.
    await call('get', '/api/v1');
    await call('get', '/health/live');
    await call('get', '/health/ready');
    await call('post', '/api/v1/auth/login', undefined, {
      email: demoGuestEmail(3),
      password: DEMO_PASSWORD,
    });
    const throttled = uniqueEmail('throttled');
    for (let i = 0; i < 3; i++)
      await call('post', '/api/v1/auth/login', undefined, {
        email: throttled,
        password: 'wrong-1',
      });
    await call('post', '/api/v1/auth/token', undefined, {
      grant_type: 'password',
      username: demoGuestEmail(4),
      password: DEMO_PASSWORD,
    });
    await call('post', '/api/v1/auth/token', undefined, { grant_type: 'magic' });
    const signup = await call('post', '/api/v1/auth/signup', undefined, {
      email: uniqueEmail('complete'),
      password: GOOD_PASSWORD,
      name: 'Casey Complete',
      birthdate: '2004-05-17',
      gender: 'female',
      department: 'law',
      teacherEmail: 'teacher@example.test',
      photo: `data:image/png;base64,${PNG.toString('base64')}`,
    });
    await call('post', '/api/v1/auth/signup', undefined, { email: 'not-an-email' });
    await call('post', '/api/v1/auth/signup', undefined, {
      email: demoGuestEmail(1),
      password: GOOD_PASSWORD,
      name: 'Taken',
    });
    const casey = `Bearer ${signup.body.token.access_token}`;
    const caseyId = signup.body.user.id as string;
    await call('post', '/api/v1/auth/password-reset', undefined, { email: demoGuestEmail(5) });
    await call('post', '/api/v1/auth/password-reset/confirm', undefined, {
      email: demoGuestEmail(5),
      code: '000000',
      newPassword: GOOD_PASSWORD,
    });

    const caseyEmail = signup.body.user.email as string;
    await call('post', '/api/v1/auth/verify-email', undefined, { email: 'nope', code: '1' });
    await call('post', '/api/v1/auth/verify-email/resend', undefined, { email: caseyEmail });
    const [, resent] = await waitForEmails(t, caseyEmail, 2);
    const caseyCode = verificationCode(resent);
    await call('post', '/api/v1/auth/verify-email', undefined, {
      email: caseyEmail,
      code: caseyCode === '000000' ? '000001' : '000000',
    });
    await call('post', '/api/v1/auth/verify-email', undefined, {
      email: caseyEmail,
      code: caseyCode,
    });
    await call('post', '/api/v1/auth/verify-email/resend', undefined, { email: 'nope' });

    // Users.
    await call('get', '/api/v1/users/me', casey);
    await call('get', '/api/v1/users/me');
    await call('patch', '/api/v1/users/me', casey, { name: 'Casey C.' });
    await call('patch', '/api/v1/users/me', casey, { email: demoGuestEmail(2) });
    await call('patch', '/api/v1/users/me', casey, { email: uniqueEmail('moving') });
    await call('put', '/api/v1/users/me/photo', casey, {
      photo: PNG.toString('base64'),
    });
    await call('get', '/api/v1/users?search=Guest', asGuest1);
    await call('get', `/api/v1/users/${caseyId}`, asGuest1);
    await call('get', `/api/v1/users/${nobody}`, asGuest1);
    await call('get', `/api/v1/users/${caseyId}/photo`, asGuest1);

    // Health regions (public reference data).
    const regions = await call('get', '/api/v1/health-regions?province=ON');
    const hrUid = regions.body.results[0].hrUid as number;
    await call('get', `/api/v1/health-regions/${hrUid}`);
    await call('get', `/api/v1/health-regions/${hrUid}/fsas`);
    await call('get', '/api/v1/health-regions/1');
    await call('get', '/api/v1/health-regions?limit=many');
    await call('get', '/api/v1/fsa/M5V2T6');
    await call('get', '/api/v1/fsa/Z9Z');
    await call('get', '/api/v1/provinces');
    await call('get', '/api/v1/provinces/QC');
    await call('get', '/api/v1/provinces/XX');

    // Parties: the demo's, and one Casey hosts.
    const upcoming = await call('get', '/api/v1/users/me/parties', asHost);
    const future1 = upcoming.body.results[0].id as string;
    await call('get', `/api/v1/users/${host3.id}/parties?when=all`, asStaff);
    await call('get', `/api/v1/users/${host3.id}/parties`, asGuest1);
    await call('get', `/api/v1/parties/${future1}`, asGuest2);
    await call('get', `/api/v1/parties/${nobody}`, asGuest2);
    await call('get', `/api/v1/parties/${future1}/guests`, asHost);
    await call('get', `/api/v1/parties/${future1}/guests`, asGuest2);
    await call('get', `/api/v1/parties/${future1}/invitable?search=Guest`, asHost);
    const firstEntry = new Date(Date.now() + 5 * 24 * 3600_000).toISOString();
    const party = await call('post', '/api/v1/parties', casey, {
      flat: 'Flat 9',
      firstEntry,
      vibe: 'party',
      description: 'Everything filled in',
      postalCode: 'M5V 2T6',
    });
    await call('post', '/api/v1/parties', casey, { flat: 'Again', firstEntry });
    await call('post', '/api/v1/parties', asGuest2, {
      flat: 'Past',
      firstEntry: '2020-01-01T00:00:00Z',
    });
    await call('patch', `/api/v1/parties/${party.body.id}`, casey, { description: 'Changed' });
    await call('patch', `/api/v1/parties/${future1}`, asGuest2, { flat: 'Mine now' });

    // Invites.
    const invite = await call('post', '/api/v1/invites', casey, {
      partyId: party.body.id,
      guestId: guest1.id,
      plusOnes: 2,
    });
    await call('post', '/api/v1/invites', casey, { partyId: party.body.id, guestId: guest1.id });
    await call('post', '/api/v1/invites', casey, { partyId: party.body.id, guestId: caseyId });
    await call('get', '/api/v1/invites?include=past', asGuest1);
    await call('get', `/api/v1/invites/${invite.body.id}`, asGuest1);
    await call('patch', `/api/v1/invites/${invite.body.id}`, asGuest1, { plusOnes: 1 });
    await call('post', `/api/v1/invites/${invite.body.id}/confirm`, asGuest1);
    await call('post', `/api/v1/invites/${invite.body.id}/confirm`, asGuest1);
    await call('post', `/api/v1/invites/${invite.body.id}/check-in`, casey);
    await call('post', `/api/v1/invites/${invite.body.id}/no-show`, asGuest1);
    await call('post', `/api/v1/invites/${invite.body.id}/cancel`, asGuest1);
    await call('get', `/api/v1/invites/${nobody}`, asGuest1);

    // Measurement sessions, tasks, groups.
    const session = sessionBody();
    await call('post', '/api/v1/sessions', asGuest2, session);
    await call('post', '/api/v1/sessions', asGuest2, session); // the retry: 200, same answer
    const sessions = await call('get', '/api/v1/sessions', asGuest1);
    await call('get', `/api/v1/sessions/${sessions.body.results[0].id}`, asGuest1);
    await call('get', '/api/v1/tasks?operator=%2B', asGuest1);
    await call('get', '/api/v1/tasks/stats', asGuest1);
    const group = await call('post', '/api/v1/groups', asGuest2, { name: `Room ${randomUUID()}` });
    // Idempotency-Key: a first answer, its replay, and the key reused for another body (422).
    const key = randomUUID();
    const keyed = (name: string) =>
      t.http
        .post('/api/v1/groups')
        .set('Authorization', asGuest2)
        .set('Idempotency-Key', key)
        .send({ name })
        .then((res) => check(res, 'post', '/api/v1/groups'));
    const keyedName = `Keyed ${randomUUID()}`;
    await keyed(keyedName);
    expect((await keyed(keyedName)).headers['idempotent-replayed']).toBe('true');
    expect((await keyed('Another name')).status).toBe(422);
    await call('post', `/api/v1/groups/${group.body.id}/members`, asGuest2, { userId: guest1.id });
    await call('post', `/api/v1/groups/${group.body.id}/members`, asGuest2, { userId: guest1.id });
    await call('post', `/api/v1/groups/${group.body.id}/accept`, asGuest1);
    await call('post', `/api/v1/groups/${group.body.id}/members`, asGuest2, { userId: caseyId });
    await call('post', `/api/v1/groups/${group.body.id}/decline`, casey);
    const code = await call('post', `/api/v1/groups/${group.body.id}/join-code`, asGuest2);
    await call('post', `/api/v1/groups/${group.body.id}/join`, asHost, {
      code: code.body.joinCode,
    });
    await call('post', `/api/v1/groups/${group.body.id}/join`, asStaff, { code: 'WRONG' });
    await call('delete', `/api/v1/groups/${group.body.id}/join-code`, asGuest2);
    await call('get', '/api/v1/groups', asGuest2);
    await call('get', `/api/v1/groups/${group.body.id}`, asGuest1);
    await call('get', `/api/v1/groups/${group.body.id}/members`, asGuest1);
    await call('get', `/api/v1/groups/${group.body.id}/tasks`, asGuest2);
    await call('delete', `/api/v1/groups/${group.body.id}/members/${guest1.id}`, asGuest2);

    // Exports, then the end of Casey's story.
    await call('get', '/api/v1/exports/users.csv', asStaff);
    await call('get', '/api/v1/exports/users.csv', asGuest1);
    await call('get', '/api/v1/exports/invites.xlsx', asStaff);
    await call('delete', `/api/v1/parties/${party.body.id}`, casey);
    await call('delete', '/api/v1/users/me/photo', casey);
    await call('post', '/api/v1/auth/logout', casey);
    await call('get', '/api/v1/users/me', casey);
    const leaving = await call('post', '/api/v1/auth/login', undefined, {
      email: demoGuestEmail(6),
      password: DEMO_PASSWORD,
    });
    await call('delete', '/api/v1/users/me', `Bearer ${leaving.body.access_token}`);
    await call('post', '/api/v1/auth/revoke', undefined, { token: leaving.body.refresh_token });

    expect(seen.filter((s) => s.problems.length)).toEqual([]);
    const statuses = new Set(seen.map((s) => Number(s.call.split(' → ')[1])));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 422, 429])
      expect([status, statuses.has(status)]).toEqual([status, true]);
    // Every documented operation was called at least once.
    const uncovered = operations.map((o) => `${o.method} ${o.path}`).filter((o) => !covered.has(o));
    expect(uncovered).toEqual([]);
  }, 120_000);

  it('answers a wrong method on a known path with 405, Allow and a problem', async () => {
    const res = await t.http.delete('/api/v1/provinces').expect(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const validate = validatorFor({ $ref: '#/components/schemas/ProblemDetails' });
    expect(validate(res.body)).toBe(true);
    expect(res.body).toMatchObject({ status: 405, title: 'Method not allowed' });

    const users = await t.http.put('/api/v1/users/me').expect(405);
    expect(users.headers['allow']).toBe('DELETE, GET, HEAD, PATCH');
    // An unknown path stays a 404; an allowed method is not affected.
    await t.http.delete('/api/v1/nothing-here').expect(404);
    await t.http.head('/api/v1/provinces').expect(200);
  });
});
