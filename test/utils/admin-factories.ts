import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { User } from '#porch/accounts';
import { createUser, FACTORY_PASSWORD, type UserOverrides } from './factories.js';
import type { TestApp } from './test-app.js';

/** An active superuser (the only kind of user the admin panel lets in). */
export function createSuperuser(t: TestApp, overrides: UserOverrides = {}): Promise<User> {
  return createUser(t, { isSuperuser: true, isStaff: true, ...overrides });
}

/** A cookie-keeping client logged in to the admin panel (throws if the login is refused). */
export async function adminAgent(
  t: TestApp,
  user: Pick<User, 'email'>,
  password = FACTORY_PASSWORD,
): Promise<TestAgent> {
  const agent = supertest.agent(t.app.getHttpServer());
  const res = await agent.post('/admin/login').type('form').send({ email: user.email, password });
  if (res.status !== 302 || res.headers.location !== '/admin') {
    throw new Error(`admin login refused for ${user.email} (${res.status})`);
  }
  return agent;
}

/** The JSON the panel's SPA gets for a resource list (filters as `{ field: value }`). */
export async function adminList(
  agent: TestAgent,
  resource: string,
  filters: Record<string, string> = {},
): Promise<{ records: AdminRecord[]; meta: { total: number } }> {
  const query = Object.fromEntries(Object.entries(filters).map(([k, v]) => [`filters.${k}`, v]));
  const res = await agent
    .get(`/admin/api/resources/${resource}/actions/list`)
    .query({ perPage: 500, ...query })
    .expect(200);
  return res.body as { records: AdminRecord[]; meta: { total: number } };
}

export interface AdminRecord {
  id: string;
  params: Record<string, unknown>;
  populated: Record<string, { title: string; id: string } | undefined>;
  errors: Record<string, { message: string }>;
  recordActions: { name: string }[];
  title: string;
}

export interface AdminActionResponse {
  record: AdminRecord;
  notice?: { message: string; type: 'success' | 'error' };
  redirectUrl?: string;
}

/** A record action as the SPA calls it (POST with a form body when `fields` are given). */
export async function adminRecordAction(
  agent: TestAgent,
  resource: string,
  id: string,
  action: string,
  fields?: Record<string, string>,
): Promise<AdminActionResponse> {
  const url = `/admin/api/resources/${resource}/records/${id}/${action}`;
  const res = fields
    ? await agent.post(url).type('form').send(fields)
    : action === 'delete'
      ? await agent.post(url)
      : await agent.get(url);
  if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${res.text}`);
  return res.body as AdminActionResponse;
}

/** `new` on a resource, as the SPA posts it. */
export async function adminCreate(
  agent: TestAgent,
  resource: string,
  fields: Record<string, string>,
): Promise<AdminActionResponse> {
  const res = await agent
    .post(`/admin/api/resources/${resource}/actions/new`)
    .type('form')
    .send(fields)
    .expect(200);
  return res.body as AdminActionResponse;
}

/**
 * Realistic data in the app's database, as an administrator would meet it: `manage seed`
 * (every module, every optional field filled) and `manage load-demo`, run by the manage CLI's
 * own commands against the same database.
 */
export async function loadRealisticData(t: TestApp, number = 12): Promise<void> {
  const { createManageApp } = await import('./manage.js');
  const { SeedCommand } = await import('../../apps/manage/src/commands/seed.command.js');
  const { LoadDemoCommand } = await import('../../apps/manage/src/commands/load-demo.command.js');
  const manage = await createManageApp({ databaseUrl: t.databaseUrl });
  try {
    await manage.run(SeedCommand, [], { number, seed: 42 });
    await manage.run(LoadDemoCommand);
  } finally {
    await manage.close();
  }
}

/** What the SPA posts for a record: flat params, null as AdminJS's marker, values as text. */
export function formFields(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      v === null ? '__FORM_VALUE_NULL__' : v instanceof Date ? v.toISOString() : String(v),
    ]),
  );
}
