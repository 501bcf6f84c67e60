import { randomBytes } from 'node:crypto';
import { demoGuestEmail, User } from '#porch/accounts';
import { AuditAction, AuditLog } from '#porch/admin';
import type TestAgent from 'supertest/lib/agent.js';
import { ADMIN_RESOURCES, resourceId } from '../../libs/admin/src/resources/index.js';
import {
  adminAgent,
  adminList,
  createSuperuser,
  formFields,
  loadRealisticData,
  type AdminActionResponse,
  type AdminRecord,
} from '../utils/admin-factories.js';
import { issueTokens } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A property as the panel describes it to its pages (ResourceJSON). */
interface PropertyJSON {
  propertyPath: string;
  type: string;
  reference: string | null;
  isId: boolean;
  availableValues: { value: string; label: string }[] | null;
}
interface ResourceJSON {
  id: string;
  editProperties: PropertyJSON[];
  properties: Record<string, PropertyJSON>;
  actions: { name: string }[];
}

/**
 * Every resource of the panel, walked generically over realistic data (`manage seed` with every
 * optional field filled, and the demo data), through the same HTTP API the panel's pages call:
 * list, show, history; and for writable ones edit → save (the change in the database and the
 * audit log, and nothing else changed), create, delete (soft where soft) → restore. A resource
 * added to ADMIN_RESOURCES is walked with no change here.
 */
describe('every admin resource round-trips', () => {
  let t: TestApp;
  let admin: User;
  let agent: TestAgent;
  let resources: Record<string, ResourceJSON>;

  beforeAll(async () => {
    t = await createTestApp();
    await loadRealisticData(t);
    admin = await createSuperuser(t, { name: 'Round Trip Admin' });
    agent = await adminAgent(t, admin);
    // Tokens and a reset code, which seeding does not make.
    const guest = await t.em().findOneOrFail(User, { email: demoGuestEmail(1) });
    await issueTokens(t, guest);
    await t.http.post('/api/v1/auth/password-reset').send({ email: guest.email }).expect(202);
    resources = await panelResources(agent);
  }, 240_000);
  afterAll(() => t?.close());

  const latestAudit = (resource: string, recordId: string) =>
    t.em().find(AuditLog, { resource, recordId }, { orderBy: { createdAt: 'desc', id: 'desc' } });

  const post = async (url: string, fields: Record<string, string>) => {
    const res = await agent.post(url).type('form').send(fields);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.text}`);
    return res.body as AdminActionResponse;
  };

  describe.each(ADMIN_RESOURCES.map((d) => [resourceId(d), d] as const))('%s', (id, definition) => {
    it('lists, shows and has a history page', async () => {
      const { records, meta } = await adminList(agent, id);
      expect(meta.total).toBeGreaterThan(0);
      const record = records[0];
      const show = await agent
        .get(`/admin/api/resources/${id}/records/${record.id}/show`)
        .expect(200);
      expect(show.body.record.id).toBe(record.id);
      expect(show.body.record.title).toBeTruthy();
      // No secret ever reaches a page.
      for (const secret of definition.secrets ?? [])
        expect(show.body.record.params).not.toHaveProperty(secret);
      const history = await agent
        .get(`/admin/api/resources/${id}/records/${record.id}/history`)
        .expect(200);
      expect(Array.isArray(history.body.entries)).toBe(true);
      // What a record offers: read-only ones only reading (no edit, delete or restore).
      const offered = record.recordActions.map((a) => a.name);
      expect(offered).toEqual(expect.arrayContaining(['show', 'history']));
      if (definition.readOnly) expect(offered.sort()).toEqual(['history', 'show']);
      else expect(offered).toContain('edit');
    });

    const writable = !definition.readOnly;
    (writable ? it : it.skip)(
      'edits a realistic record: the change is saved and audited, and nothing else changes',
      async () => {
        const record = await mostComplete(agent, id);
        const resource = resources[id];
        const { field, candidates } = await changeFor(agent, resource, record);
        let saved: AdminActionResponse | undefined;
        let value: string | undefined;
        for (const candidate of candidates) {
          // The whole record, as the edit page posts it, with one field changed.
          saved = await post(
            `/admin/api/resources/${id}/records/${record.id}/edit`,
            formFields({ ...record.params, [field]: candidate }),
          );
          value = candidate;
          if (saved.notice?.type === 'success') break;
        }
        expect(saved?.notice).toMatchObject({ type: 'success' });
        const after = await agent.get(`/admin/api/resources/${id}/records/${record.id}/show`);
        expect(String(after.body.record.params[field])).toBe(value);
        const [audit] = await latestAudit(id, record.id);
        expect(audit.action).toBe(AuditAction.Update);
        expect(audit.actorEmail).toBe(admin.email);
        // Exactly the field that changed: every other value (dates, enums, relations, JSON,
        // booleans, nulls) went through the form and came back as it was.
        expect(Object.keys(audit.changes)).toEqual([field]);
        expect(String(audit.changes[field].to)).toBe(value);
      },
    );

    (writable ? it : it.skip)(
      'creates a record, deletes it (softly where soft) and restores it',
      async () => {
        const source = await mostComplete(agent, id);
        const resource = resources[id];
        const created = await createLike(agent, resource, source);
        const newId = created.record.id;
        const [creation] = await latestAudit(id, newId);
        expect(creation.action).toBe(AuditAction.Create);

        const deleted = await agent.post(`/admin/api/resources/${id}/records/${newId}/delete`);
        expect(deleted.body.notice?.type).toBe('success');
        const softly = 'deletedAt' in resource.properties;
        const [deletion] = await latestAudit(id, newId);
        expect(deletion.action).toBe(AuditAction.Delete);
        if (softly) {
          const still = await agent
            .get(`/admin/api/resources/${id}/records/${newId}/show`)
            .expect(200);
          expect(still.body.record.params.deletedAt).toBeTruthy();
          const restored = await agent.get(`/admin/api/resources/${id}/records/${newId}/restore`);
          expect(restored.body.notice?.type).toBe('success');
          const back = await agent.get(`/admin/api/resources/${id}/records/${newId}/show`);
          expect(back.body.record.params.deletedAt).toBeNull();
          if (definition.onRestore) {
            for (const [key, v] of Object.entries(definition.onRestore))
              expect(back.body.record.params[key]).toBe(v);
          }
          const [restoration] = await latestAudit(id, newId);
          expect(restoration.action).toBe(AuditAction.Restore);
        } else {
          expect(await t.em().count(definition.entity, { id: newId }, { filters: false })).toBe(0);
        }
      },
    );
  });
});

async function panelResources(agent: TestAgent): Promise<Record<string, ResourceJSON>> {
  // The panel's own description of its resources, as its pages get it (window.REDUX_STATE).
  const page = await agent.get('/admin').expect(200);
  const match = /window\.REDUX_STATE = (\{.*?\});\s*\n/s.exec(page.text);
  if (!match) throw new Error('no REDUX_STATE on the admin page');
  const state = JSON.parse(match[1]) as { resources: ResourceJSON[] };
  return Object.fromEntries(state.resources.map((r) => [r.id, r]));
}

/** The listed record with the most fields filled (realistic data has them all). */
async function mostComplete(agent: TestAgent, id: string): Promise<AdminRecord> {
  const { records } = await adminList(agent, id, {});
  const live = records.filter((r) => !r.params.deletedAt);
  const filled = (r: AdminRecord) =>
    Object.values(r.params).filter((v) => v !== null && v !== '').length;
  return [...(live.length ? live : records)].sort((a, b) => filled(b) - filled(a))[0];
}

const suffix = () => randomBytes(3).toString('hex');

/** One editable field to change and the values to try, by type (generic over resources). */
async function changeFor(
  agent: TestAgent,
  resource: ResourceJSON,
  record: AdminRecord,
): Promise<{ field: string; candidates: string[] }> {
  const editable = resource.editProperties.filter((p) => !p.isId && p.type !== 'password');
  const text = editable.find(
    (p) =>
      (p.type === 'string' || p.type === 'textarea') &&
      !p.availableValues &&
      p.propertyPath !== 'email',
  );
  if (text) {
    const value = `${String(record.params[text.propertyPath] ?? 'x').slice(0, 30)} ${suffix()}`;
    return { field: text.propertyPath, candidates: [value] };
  }
  const number = editable.find((p) => p.type === 'number');
  if (number) {
    const current = Number(record.params[number.propertyPath] ?? 0);
    return {
      field: number.propertyPath,
      candidates: [String(current >= 5 ? current - 1 : current + 1)],
    };
  }
  const reference = editable.find((p) => p.type === 'reference');
  if (reference?.reference) {
    const { records } = await adminList(agent, reference.reference);
    const others = records
      .map((r) => r.id)
      .filter((v) => v !== record.params[reference.propertyPath]);
    return { field: reference.propertyPath, candidates: others };
  }
  throw new Error(`nothing to change on ${resource.id}`);
}

/** A new record like `source`: unique fields made unique, relations tried until one fits. */
async function createLike(
  agent: TestAgent,
  resource: ResourceJSON,
  source: AdminRecord,
): Promise<AdminActionResponse> {
  const fields: Record<string, unknown> = {};
  // The first free text field (a name, a flat) is made unique; other text keeps its format.
  const name = resource.editProperties.find(
    (p) =>
      (p.type === 'string' || p.type === 'textarea') &&
      !p.availableValues &&
      p.propertyPath !== 'email',
  );
  for (const p of resource.editProperties) {
    const value = source.params[p.propertyPath];
    if (p.type === 'password') fields[p.propertyPath] = `Quiet-Harbour-${suffix()}-42`;
    else if (p.propertyPath === 'email')
      fields[p.propertyPath] = `copy-${suffix()}-${String(value)}`;
    else if (p === name && value)
      fields[p.propertyPath] = `${String(value).slice(0, 30)} ${suffix()}`;
    else if (p.type === 'datetime' && value)
      // Years later: a host's parties must not overlap.
      fields[p.propertyPath] = new Date(
        new Date(String(value)).getTime() + (2 + Math.floor(Math.random() * 50)) * 366 * 86400_000,
      ).toISOString();
    else if (value !== undefined) fields[p.propertyPath] = value;
  }
  const references = resource.editProperties.filter((p) => p.type === 'reference' && p.reference);
  const options = await Promise.all(
    references.map(async (p) => (await adminList(agent, p.reference!)).records.map((r) => r.id)),
  );
  let last: AdminActionResponse | undefined;
  for (let attempt = 0; attempt < 30; attempt++) {
    references.forEach((p, i) => {
      if (attempt > 0) fields[p.propertyPath] = options[i][(attempt * (i + 1)) % options[i].length];
    });
    const res = await agent
      .post(`/admin/api/resources/${resource.id}/actions/new`)
      .type('form')
      .send(formFields(fields));
    last = res.body as AdminActionResponse;
    if (last.notice?.type === 'success' && last.record?.id) return last;
  }
  throw new Error(
    `could not create a ${resource.id}: ${JSON.stringify(last?.record?.errors ?? last)}`,
  );
}
