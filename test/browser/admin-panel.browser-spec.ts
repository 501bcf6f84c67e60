import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Download, Page } from 'playwright-core';
import { AuthToken, demoGuestEmail, demoHostEmail, User } from '#porch/accounts';
import { AuditAction, AuditLog } from '#porch/admin';
import { Invite, InviteStatus, Party } from '#porch/parties';
import { Group, Session } from '#porch/tasks';
import { ADMIN_RESOURCES, resourceId } from '../../libs/admin/src/resources/index.js';
import { createSuperuser, loadRealisticData } from '../utils/admin-factories.js';
import { createUser, FACTORY_PASSWORD, issueTokens } from '../utils/factories.js';
import { adminLogin, inPage, startBrowserHarness, type BrowserHarness } from './browser.js';

interface PropertyJSON {
  propertyPath: string;
  type: string;
  isId: boolean;
  availableValues: unknown[] | null;
}
interface ResourceJSON {
  id: string;
  editProperties: PropertyJSON[];
  properties: Record<string, PropertyJSON>;
}
interface ListedRecord {
  id: string;
  title: string;
  params: Record<string, unknown>;
}

async function bytes(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * The admin panel as an administrator uses it, in Chromium, on seed + demo data (every
 * optional field filled): every resource walked generically, then the Django-admin features.
 */
describe('admin panel (Django-admin level) in a browser', () => {
  let h: BrowserHarness;
  let admin: User;
  let signedIn: Parameters<typeof inPage>[3];
  beforeAll(async () => {
    h = await startBrowserHarness();
    await loadRealisticData(h.t);
    admin = await createSuperuser(h.t, { name: 'Browser Admin' });
    const guest = await h.t.em().findOneOrFail(User, { email: demoGuestEmail(1) });
    await issueTokens(h.t, guest);
    await h.t.http.post('/api/v1/auth/password-reset').send({ email: guest.email }).expect(202);
    // Log in once through the form; every scenario starts from that session.
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await adminLogin(page, h.base, admin.email, FACTORY_PASSWORD);
    await page.waitForURL(`${h.base}/admin`);
    signedIn = await context.storageState();
    await context.close();
  }, 240_000);
  afterAll(() => h?.close());

  const login = async (page: Page) => {
    await page.goto(`${h.base}/admin`);
    await page.getByTestId('porch-dashboard').waitFor();
  };
  const scenario = (name: string, run: (page: Page) => Promise<void>) =>
    inPage(h, name, run, signedIn);
  /** The panel's own API, from the page (its session cookie). */
  const api = async <T>(page: Page, path: string): Promise<T> => {
    const res = await page.request.get(`${h.base}/admin/api${path}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as T;
  };
  const resourcesOf = async (page: Page): Promise<Record<string, ResourceJSON>> => {
    const list = await page.evaluate(
      () =>
        (globalThis as unknown as { REDUX_STATE: { resources: ResourceJSON[] } }).REDUX_STATE
          .resources,
    );
    return Object.fromEntries(list.map((r) => [r.id, r]));
  };
  const audits = (resource: string, recordId: string) =>
    h.t.em().find(AuditLog, { resource, recordId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  const notice = (page: Page, text: RegExp | string) =>
    page.getByTestId('notice-wrapper').getByText(text).first().waitFor();

  it("opens on an index of modules, row counts and recent actions (mine and everyone's)", () =>
    scenario('index', async (page) => {
      const someone = await createUser(h.t, { name: 'Index Person' });
      await login(page);
      await page.goto(`${h.base}/admin/resources/User/records/${someone.id}/edit`);
      await page.getByTestId('property-edit-name').locator('input').fill('Index Person Edited');
      await page.getByRole('button', { name: /save/i }).click();
      await notice(page, /successfully updated/i);

      await page.goto(`${h.base}/admin`);
      await page.getByText('Site administration').waitFor();
      expect(await page.getByText('Welcome on Board').count()).toBe(0);
      for (const module of ['Accounts', 'Parties', 'Invites', 'Health regions', 'Tasks', 'Audit']) {
        await page.getByTestId(`module-${module}`).waitFor();
      }
      const users = await h.t.em().count(User, {}, { filters: false });
      expect(await page.getByTestId('count-User').textContent()).toBe(users.toLocaleString('en'));
      expect(await page.getByTestId('count-HealthRegion').textContent()).toBe('92');
      await page.getByTestId('recent-mine').getByText(someone.email).first().waitFor();
      await page.getByTestId('recent-everyone').getByText(someone.email).first().waitFor();
      await page.getByTestId('resource-Party').getByRole('link', { name: 'Parties' }).click();
      await page.waitForURL(/\/admin\/resources\/Party/);
    }));

  it('searches lists (users by name and email, parties by flat, invites by guest or party)', () =>
    scenario('search', async (page) => {
      await login(page);
      const search = async (resource: string, term: string) => {
        await page.goto(`${h.base}/admin/resources/${resource}`);
        await page.getByTestId('search-input').fill(term);
        await page.getByTestId('search-input').press('Enter');
        await page.waitForURL(/filters\.q=/);
        await page.locator('tr[data-id]').first().waitFor();
        return page.locator('tr[data-id]');
      };
      const users = await search('User', 'guest3@demo');
      await users.getByText(demoGuestEmail(3)).waitFor();
      expect(await users.count()).toBe(1);
      const byName = await search('User', 'Guest 4');
      await byName.getByText(demoGuestEmail(4)).waitFor();
      expect(await byName.count()).toBe(1);
      const parties = await search('Party', 'FUTUREPARTY2');
      expect(await parties.count()).toBe(1);
      const invites = await search('Invite', 'PASTPARTY1');
      await page.waitForFunction("document.querySelectorAll('tr[data-id]').length === 3");
      expect(await invites.count()).toBe(3);
      // Sorting on a relation column keeps the search.
      await page.getByRole('link', { name: 'Guest' }).first().click();
      await page.waitForURL(/sortBy=guest/);
      expect(page.url()).toContain('filters.q=PASTPARTY1');
    }));

  it('labels fields and values as people read them: enums, dates, relations by name', () =>
    scenario('labels', async (page) => {
      await login(page);
      const party = await h.t.em().findOneOrFail(Party, { flat: 'FUTUREPARTY2' });
      await page.goto(`${h.base}/admin/resources/Party/records/${party.id}/show`);
      await page.getByText('Party · 20–30 people').first().waitFor();
      await page.goto(`${h.base}/admin/resources/Task?filters.operator=%2B`);
      const badge = page.locator('tr[data-id]').first().getByTestId('value-operator');
      expect(await badge.textContent()).toBe('+');
      // A task names its session by learner and time, not by a uuid.
      const session = await page
        .locator('tr[data-id]')
        .first()
        .locator('[data-property-name="session"]')
        .textContent();
      expect(session).toMatch(/ · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
      await page.goto(`${h.base}/admin/resources/HealthRegion`);
      await page.getByText('Health region UID').first().waitFor();
      expect(await page.getByText('Hr Uid', { exact: true }).count()).toBe(0);
      await page.goto(`${h.base}/admin/resources/Device`);
      await page.getByText('OS version').first().waitFor();
      expect(await page.getByText('Os Version', { exact: true }).count()).toBe(0);
      const host = await h.t.em().findOneOrFail(User, { email: demoHostEmail(2) });
      await page.goto(`${h.base}/admin/resources/User/records/${host.id}/show`);
      const birthdate = await page.getByTestId('property-show-birthdate').textContent();
      expect(birthdate).toContain(host.birthdate!);
      expect(birthdate).not.toMatch(/\d{2}:\d{2}/);
    }));

  it('shows a record its history with field diffs, and related records inline', () =>
    scenario('history-inlines', async (page) => {
      await login(page);
      const party = await h.t.em().findOneOrFail(Party, { flat: 'PASTPARTY1' });
      await page.goto(`${h.base}/admin/resources/Party/records/${party.id}/edit`);
      await page
        .getByTestId('property-edit-description')
        .locator('textarea')
        .fill('Moved to the roof');
      await page.getByRole('button', { name: /save/i }).click();
      await notice(page, /successfully updated/i);
      await page.goto(`${h.base}/admin/resources/Party/records/${party.id}/show`);
      await page.getByTestId('inline-invites').getByTestId('inline-row').nth(2).waitFor();
      expect(await page.getByTestId('inline-invites').getByTestId('inline-row').count()).toBe(3);
      await page.getByTestId('action-history').first().click();
      const change = page.getByTestId('history-change-description').first();
      await change.waitFor();
      expect(await change.textContent()).toContain('Moved to the roof');
      expect(await change.textContent()).toContain('Description');

      const session = await h.t
        .em()
        .findOneOrFail(Session, { id: '019a0000-0000-7000-8000-00000000d3e0' });
      await page.goto(`${h.base}/admin/resources/Session/records/${session.id}/show`);
      await page.getByTestId('inline-tasks').getByTestId('inline-row').first().waitFor();
      expect(await page.getByTestId('inline-tasks').getByTestId('inline-row').count()).toBe(12);
      await page.getByTestId('inline-keypresses').getByTestId('inline-row').first().waitFor();
      const group = (await h.t.em().find(Group, {}, { limit: 1 }))[0];
      await page.goto(`${h.base}/admin/resources/Group/records/${group.id}/show`);
      await page.getByTestId('inline-members').getByTestId('inline-row').first().waitFor();
    }));

  it('runs bulk actions: soft delete, restore, export the selection; deactivate and cancel invites', () =>
    scenario('bulk', async (page) => {
      const a = await createUser(h.t, { name: 'Bulk Alpha' });
      const b = await createUser(h.t, { name: 'Bulk Beta' });
      await login(page);
      const select = async () => {
        await page.goto(`${h.base}/admin/resources/User?filters.q=Bulk`);
        for (const user of [a, b]) {
          await page
            .locator(`tr[data-id="${user.id}"] input[type="checkbox"]`)
            .check({ force: true });
        }
      };
      await select();
      await page.getByTestId('action-bulkDelete').click();
      await page.getByRole('button', { name: /confirm/i }).click();
      await notice(page, /successfully removed 2 records/i);
      expect(
        await h.t
          .em()
          .count(User, { id: [a.id, b.id], deletedAt: { $ne: null } }, { filters: false }),
      ).toBe(2);
      await select();
      await page.getByTestId('action-bulkRestore').click();
      await page.getByRole('button', { name: /confirm/i }).click();
      await notice(page, /2 of 2 restored/);
      expect(
        await h.t.em().count(User, { id: [a.id, b.id], deletedAt: null, isActive: true }),
      ).toBe(2);

      await select();
      await page.getByTestId('action-bulkExportCsv').click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('bulk-export-csv').click(),
      ]);
      const rows = parse(await bytes(download), { columns: true, bom: true }) as { id: string }[];
      expect(rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());

      await issueTokens(h.t, a);
      await page.goto(`${h.base}/admin/resources/User/records/${a.id}/show`);
      await page.getByTestId('action-deactivate').first().click();
      await page.getByRole('button', { name: /confirm/i }).click();
      await notice(page, 'User deactivated');
      expect((await h.t.em().findOneOrFail(User, a.id)).isActive).toBe(false);
      expect(await h.t.em().count(AuthToken, { user: a.id, revokedAt: null })).toBe(0);

      const invite = await h.t
        .em()
        .findOneOrFail(Invite, { status: InviteStatus.Invited, party: { flat: 'FUTUREPARTY3' } });
      await page.goto(`${h.base}/admin/resources/Invite/records/${invite.id}/show`);
      await page.getByTestId('action-cancelInvite').first().click();
      await page.getByRole('button', { name: /confirm/i }).click();
      await notice(page, 'Invite canceled');
      expect((await h.t.em().findOneOrFail(Invite, invite.id)).status).toBe(InviteStatus.Canceled);
      await page.goto(`${h.base}/admin/resources/Invite/records/${invite.id}/show`);
      await page.getByTestId('action-history').first().waitFor();
      expect(await page.getByTestId('action-cancelInvite').count()).toBe(0);
    }));

  it('checks a new password with the sign-up rules, and setting one signs the user out', () =>
    scenario('password', async (page) => {
      const user = await createUser(h.t, { name: 'Pass Word' });
      await issueTokens(h.t, user);
      await login(page);
      await page.goto(`${h.base}/admin/resources/User/records/${user.id}/edit`);
      const input = page.getByTestId('property-edit-newPassword').locator('input');
      await input.fill('1');
      await page.getByRole('button', { name: /save/i }).click();
      await page
        .getByText(/This password is too short/)
        .first()
        .waitFor();
      expect(await h.t.em().count(AuthToken, { user: user.id, revokedAt: null })).toBe(2);
      await input.fill('Meadow-Lantern-73');
      await page.getByRole('button', { name: /save/i }).click();
      await notice(page, /successfully updated/i);
      expect(await h.t.em().count(AuthToken, { user: user.id, revokedAt: null })).toBe(0);
      await h.t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'Meadow-Lantern-73' })
        .expect(200);
    }));

  it("exports the list's rows as CSV (with a BOM) and .xlsx, named as shown", () =>
    scenario('export', async (page) => {
      await login(page);
      await page.goto(`${h.base}/admin/resources/User`);
      await page.getByTestId('search-input').fill('@demo.porch.test');
      await page.getByTestId('search-input').press('Enter');
      await page.waitForURL(/filters\.q=/);
      await page.getByTestId('action-exportCsv').first().click();
      await page.getByTestId('export-count').waitFor();
      expect(await page.getByTestId('export-count').textContent()).toMatch(/^11 rows, as filtered/);
      const shown = await page.getByTestId('export-csv-filename').textContent();
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv-download').click(),
      ]);
      expect(csv.suggestedFilename()).toBe(shown);
      expect(shown).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
      const body = await bytes(csv);
      expect(body.subarray(0, 3).toString('hex')).toBe('efbbbf');
      const rows = parse(body, { columns: true, bom: true }) as { email: string }[];
      expect(rows).toHaveLength(11);
      expect(rows.every((r) => r.email.endsWith('@demo.porch.test'))).toBe(true);

      const shownXlsx = await page.getByTestId('export-xlsx-filename').textContent();
      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-xlsx-download').click(),
      ]);
      expect(xlsx.suggestedFilename()).toBe(shownXlsx);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await bytes(xlsx)) as unknown as ArrayBuffer);
      expect(book.worksheets[0].rowCount).toBe(12);
    }));
  // Last: the walk edits whichever records are most complete, which the tests above name.
  describe.each(ADMIN_RESOURCES.map((d) => [resourceId(d), d] as const))('%s', (id, definition) => {
    it('lists, shows, edits and saves (change in the database and the audit log), deletes and restores', () =>
      scenario(`walk-${id}`, async (page) => {
        await login(page);
        const resources = await resourcesOf(page);
        const resource = resources[id];
        expect(resource).toBeDefined();

        const { records } = await api<{ records: ListedRecord[] }>(
          page,
          `/resources/${id}/actions/list?perPage=50`,
        );
        const filled = (r: ListedRecord) =>
          Object.values(r.params).filter((v) => v !== null && v !== '').length;
        const record = [...records]
          .filter((r) => !r.params.deletedAt)
          .sort((a, b) => filled(b) - filled(a))[0];
        const pk = Object.values(resource.properties).find((p) => p.isId)!.propertyPath;
        const row = page.locator(`tr[data-id="${record.id}"]`);
        // The list narrowed to the record, then its page (a row's first cell may be a link to
        // another record, so the page is opened by its address).
        const openRecord = async () => {
          await page.goto(
            `${h.base}/admin/resources/${id}?filters.${pk}=${encodeURIComponent(record.id)}`,
          );
          await row.first().waitFor();
          await page.goto(`${h.base}/admin/resources/${id}/records/${record.id}/show`);
          await page.locator('[data-testid^="property-show-"]').first().waitFor();
        };
        await openRecord();
        await page.getByTestId('action-history').first().click();
        await page.getByTestId('history').waitFor();
        await page.goBack();
        await page.locator('[data-testid^="property-show-"]').first().waitFor();

        if (definition.readOnly) {
          expect(await page.getByTestId('action-edit').count()).toBe(0);
          expect(await page.getByTestId('action-delete').count()).toBe(0);
          return;
        }

        // Edit → Save: one field typed, every other field posted back as the form holds it.
        const editable = resource.editProperties.filter((p) => !p.isId && p.type !== 'password');
        const text = editable.find(
          (p) =>
            ['string', 'textarea'].includes(p.type) &&
            !p.availableValues &&
            p.propertyPath !== 'email',
        );
        const number = editable.find((p) => p.type === 'number');
        await page.getByTestId('action-edit').first().click();
        await page.locator('[data-testid^="property-edit-"]').first().waitFor();
        let field = '';
        let value = '';
        if (text) {
          field = text.propertyPath;
          value = `${String(record.params[field] ?? '').slice(0, 30)} b${Date.now() % 100000}`;
          await page
            .getByTestId(`property-edit-${field}`)
            .locator(text.type === 'textarea' ? 'textarea' : 'input')
            .first()
            .fill(value);
        } else if (number) {
          field = number.propertyPath;
          const current = Number(record.params[field] ?? 0);
          value = String(current >= 5 ? current - 1 : current + 1);
          await page.getByTestId(`property-edit-${field}`).locator('input').first().fill(value);
        }
        await page.getByRole('button', { name: /save/i }).click();
        await notice(page, /successfully updated/i);
        if (field) {
          const [audit] = await audits(id, record.id);
          expect(audit.action).toBe(AuditAction.Update);
          expect(audit.actorEmail).toBe(admin.email);
          expect(Object.keys(audit.changes)).toEqual([field]);
          expect(String(audit.changes[field].to)).toBe(value);
          const stored = await h.t
            .em()
            .findOneOrFail(definition.entity, { id: record.id }, { filters: false });
          expect(String((stored as Record<string, unknown>)[field])).toBe(value);
        }

        // Delete (softly where soft) from the record's page; then Restore.
        const soft = 'deletedAt' in resource.properties;
        if (!soft) return; // hard deletes: the e2e walk (it creates a record to delete)
        await openRecord();
        await page.getByTestId('action-delete').first().click();
        await page.getByRole('button', { name: /confirm/i }).click();
        await notice(page, /successfully deleted/i);
        await openRecord();
        await page.getByTestId('action-restore').first().click();
        await page.getByRole('button', { name: /confirm/i }).click();
        await notice(page, /restored/i);
        const actions = (await audits(id, record.id)).map((a) => a.action);
        expect(actions.slice(0, 2)).toEqual([AuditAction.Restore, AuditAction.Delete]);
        const back = (await h.t
          .em()
          .findOneOrFail(definition.entity, { id: record.id }, { filters: false })) as {
          deletedAt?: Date | null;
          isActive?: boolean;
        };
        expect(back.deletedAt).toBeNull();
        if (id === 'User') expect(back.isActive).toBe(true);
      }));
  });
});
