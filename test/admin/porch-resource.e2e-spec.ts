import { AuthToken, PasswordHasher, TokenKind, User } from '#porch/accounts';
import { AuditAction, AuditLog } from '#porch/admin';
import { PorchResource } from '../../libs/admin/src/adapter/porch-resource.js';
import type { ActionContext } from 'adminjs';
import type TestAgent from 'supertest/lib/agent.js';
import {
  adminAgent,
  adminCreate,
  adminList,
  adminRecordAction,
  createSuperuser,
} from '../utils/admin-factories.js';
import { createUser, issueTokens } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The panel's adapter behaviours, through the same HTTP API its pages call. */
describe('admin resources (PorchResource)', () => {
  let t: TestApp;
  let admin: User;
  let agent: TestAgent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createSuperuser(t);
    agent = await adminAgent(t, admin);
  });
  afterAll(() => t.close());

  const audits = (recordId: string) =>
    t.em().find(AuditLog, { recordId }, { orderBy: { createdAt: 'asc', id: 'asc' } });

  it('lists users without password hashes or photo bytes', async () => {
    const user = await createUser(t, { photo: Buffer.from('jpeg'), photoType: 'image/jpeg' });
    const { records } = await adminList(agent, 'User');
    const row = records.find((r) => r.id === user.id);
    expect(row?.params.email).toBe(user.email);
    for (const r of records) {
      expect(r.params).not.toHaveProperty('password');
      expect(r.params).not.toHaveProperty('photo');
    }
  });

  it('soft-deletes a user (deactivating it), keeps it visible here, and restores it', async () => {
    const user = await createUser(t);
    const before = await adminList(agent, 'User', { id: user.id });
    expect(before.records[0].recordActions.map((a) => a.name)).not.toContain('restore');
    const deleted = await adminRecordAction(agent, 'User', user.id, 'delete');
    expect(deleted.notice?.type).toBe('success');

    const stored = await t.em().findOneOrFail(User, user.id, { filters: false });
    expect(stored.deletedAt).toBeInstanceOf(Date);
    expect(stored.isActive).toBe(false);
    // Gone from the API's reads (default filter), still in the panel, where restore is offered.
    expect(await t.em().findOne(User, user.id)).toBeNull();
    const { records } = await adminList(agent, 'User', { id: user.id });
    expect(records).toHaveLength(1);
    const actions = records[0].recordActions.map((a) => a.name);
    expect(actions).toContain('restore');
    expect(actions).not.toContain('delete');

    const restored = await adminRecordAction(agent, 'User', user.id, 'restore');
    expect(restored.notice?.type).toBe('success');
    const back = await t.em().findOneOrFail(User, user.id);
    expect(back.deletedAt).toBeNull();
    // Restoring brings the user back as they were before deletion: active.
    expect(back.isActive).toBe(true);

    const log = await audits(user.id);
    expect(log.map((a) => a.action)).toEqual([AuditAction.Delete, AuditAction.Restore]);
    expect(log[0].actorEmail).toBe(admin.email);
    expect(log[0].actor?.id).toBe(admin.id);
    expect(log[0].resource).toBe('User');
    expect(log[0].changes.isActive).toEqual({ from: true, to: false });
    expect(log[0].changes.deletedAt.from).toBeNull();
    expect(log[1].changes.deletedAt.to).toBeNull();
    expect(log[1].changes.isActive).toEqual({ from: false, to: true });
  });

  it('shows a duplicate email as an error on the field, not as a success', async () => {
    const taken = await createUser(t);
    const user = await createUser(t);
    const res = await adminRecordAction(agent, 'User', user.id, 'edit', {
      email: taken.email.toUpperCase(),
      name: user.name,
    });
    expect(res.notice?.type).toBe('error');
    expect(res.record.errors.email.message).toMatch(/already has this email/);
    expect((await t.em().findOneOrFail(User, user.id)).email).toBe(user.email);
    expect(await audits(user.id)).toHaveLength(0);
  });

  it('filters uuid columns by equality; a malformed uuid finds nothing instead of failing', async () => {
    const user = await createUser(t);
    expect((await adminList(agent, 'User', { id: user.id })).records.map((r) => r.id)).toEqual([
      user.id,
    ]);
    expect((await adminList(agent, 'User', { id: user.id.toUpperCase() })).meta.total).toBe(1);
    expect((await adminList(agent, 'User', { id: user.id.slice(0, 8) })).meta.total).toBe(0);
    expect((await adminList(agent, 'User', { id: 'not-a-uuid' })).meta.total).toBe(0);
    await agent.get('/admin/api/resources/User/records/not-a-uuid/show').expect(200);
  });

  it('searches text case-insensitively, with LIKE wildcards taken literally', async () => {
    const user = await createUser(t, { name: 'Zoë 100% Unique' });
    expect((await adminList(agent, 'User', { name: 'zoË 100%' })).records[0]?.id).toBe(user.id);
    expect((await adminList(agent, 'User', { name: 'Zo_' })).meta.total).toBe(0);
  });

  it('hashes a new password set through the form, and ignores a raw hash sent instead', async () => {
    const user = await createUser(t);
    const hasher = t.app.get(PasswordHasher);
    const res = await adminRecordAction(agent, 'User', user.id, 'edit', {
      name: 'Renamed',
      newPassword: 'a brand new secret 9',
    });
    expect(res.notice?.type).toBe('success');
    expect(res.record.params).not.toHaveProperty('password');
    const em = t.em();
    const stored = await em.findOneOrFail(User, user.id, { populate: ['password'] });
    expect(stored.name).toBe('Renamed');
    expect(stored.password).toMatch(/^\$argon2id\$/);
    expect(await hasher.verify(stored.password, 'a brand new secret 9')).toBe(true);

    await adminRecordAction(agent, 'User', user.id, 'edit', { password: 'plain-text' });
    const after = await t.em().findOneOrFail(User, user.id, { populate: ['password'] });
    expect(after.password).toBe(stored.password);

    const [update] = await audits(user.id);
    expect(update.action).toBe(AuditAction.Update);
    expect(update.changes.name).toEqual({ from: user.name, to: 'Renamed' });
    expect(update.changes.password).toEqual({ from: '[redacted]', to: '[redacted]' });
    expect(JSON.stringify(update.changes)).not.toContain('$argon2id');
  });

  it('creates a user with a hashed password and a normalized email, and logs it', async () => {
    const missing = await adminCreate(agent, 'User', { email: 'x@example.test', name: 'X' });
    expect(missing.notice?.type).toBe('error');
    expect(missing.record.errors.newPassword).toBeDefined();

    const res = await adminCreate(agent, 'User', {
      email: ' New.Admin@Example.TEST ',
      name: 'New Admin',
      newPassword: 'first password',
      isStaff: 'true',
      isActive: 'true',
    });
    expect(res.notice?.type).toBe('success');
    const user = await t
      .em()
      .findOneOrFail(User, { email: 'new.admin@example.test' }, { populate: ['password'] });
    expect(user.isStaff).toBe(true);
    expect(await t.app.get(PasswordHasher).verify(user.password, 'first password')).toBe(true);

    const [create] = await audits(user.id);
    expect(create.action).toBe(AuditAction.Create);
    expect(create.changes.email).toEqual({ from: null, to: 'new.admin@example.test' });
    expect(create.changes.password).toEqual({ from: null, to: '[redacted]' });
  });

  it('shows the audit log read-only, naming the actor by email', async () => {
    const user = await createUser(t);
    await adminRecordAction(agent, 'User', user.id, 'edit', { name: 'Audited' });
    const { records } = await adminList(agent, 'AuditLog', { recordId: user.id });
    expect(records).toHaveLength(1);
    const [entry] = records;
    expect(entry.populated.actor?.title).toBe(admin.email);
    expect(String(entry.params.changes)).toContain('Audited');
    expect(entry.recordActions.map((a) => a.name).sort()).toEqual(['history', 'show']);

    const edit = await agent
      .post(`/admin/api/resources/AuditLog/records/${entry.id}/edit`)
      .type('form')
      .send({ action: 'delete' });
    expect(edit.body.notice?.type).toBe('error');
    const del = await agent.post(`/admin/api/resources/AuditLog/records/${entry.id}/delete`);
    expect(del.body.notice?.type).toBe('error');
    expect(await t.em().count(AuditLog, { id: entry.id })).toBe(1);
  });

  it('shows tokens read-only, without their hashes, their user named by email', async () => {
    const user = await createUser(t);
    await issueTokens(t, user);
    const { records } = await adminList(agent, 'AuthToken', { user: user.id });
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.params).not.toHaveProperty('tokenHash');
      expect(r.populated.user?.title).toBe(user.email);
      expect(r.recordActions.map((a) => a.name).sort()).toEqual(['history', 'show']);
    }
  });

  it('hard-deletes entities without deletedAt, logging the old values with secrets redacted', async () => {
    const user = await createUser(t);
    await issueTokens(t, user);
    const token = await t.em().findOneOrFail(AuthToken, { user: user.id, kind: TokenKind.Access });
    // AuthToken is read-only in the panel; a writable resource over it shows the generic path.
    const resource = new PorchResource({
      model: AuthToken,
      orm: t.orm,
      porch: { secrets: ['tokenHash'] },
    });
    const context = { currentAdmin: { id: admin.id, email: admin.email } } as ActionContext;
    await resource.delete(token.id, context);
    expect(await t.em().count(AuthToken, { id: token.id })).toBe(0);
    const [entry] = await audits(token.id);
    expect(entry.action).toBe(AuditAction.Delete);
    expect(entry.resource).toBe('AuthToken');
    expect(entry.changes.kind).toEqual({ from: 'access', to: null });
    expect(entry.changes.user).toEqual({ from: user.id, to: null });
    expect(entry.changes.tokenHash).toEqual({ from: '[redacted]', to: null });
  });
});
