import type { Page } from 'playwright-core';
import { User } from '#porch/accounts';
import { createSuperuser } from '../utils/admin-factories.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { adminLogin, inPage, startBrowserHarness, type BrowserHarness } from './browser.js';

describe('admin panel in a browser', () => {
  let h: BrowserHarness;
  let admin: User;
  beforeAll(async () => {
    h = await startBrowserHarness();
    admin = await createSuperuser(h.t, { name: 'Ada Admin' });
  });
  afterAll(() => h?.close());

  const loginAsAdmin = (page: Page) => adminLogin(page, h.base, admin.email, FACTORY_PASSWORD);

  it('lets a superuser log in and list users', () =>
    inPage(h, 'superuser-lists-users', async (page) => {
      const listed = await createUser(h.t, { name: 'Listed Person' });
      await loginAsAdmin(page);
      await page.waitForURL(`${h.base}/admin`);
      await page.goto(`${h.base}/admin/resources/User`);
      await page.getByText(listed.email).waitFor();
      await page.getByText(admin.email).first().waitFor();
    }));

  it('refuses a user who is not a superuser', () =>
    inPage(h, 'non-superuser-refused', async (page) => {
      const staff = await createUser(h.t, { isStaff: true });
      await adminLogin(page, h.base, staff.email, FACTORY_PASSWORD);
      expect(page.url()).toBe(`${h.base}/admin/login`);
      await page
        .getByText(/wrong|invalid/i)
        .first()
        .waitFor();
      await page.goto(`${h.base}/admin/resources/User`);
      await page.waitForURL(`${h.base}/admin/login`);
    }));

  it('edits a record through its form', () =>
    inPage(h, 'edit-record', async (page) => {
      const user = await createUser(h.t, { name: 'Before Edit' });
      await loginAsAdmin(page);
      await page.goto(`${h.base}/admin/resources/User/records/${user.id}/edit`);
      await page.fill('input[name="name"]', 'After Edit');
      await page.getByRole('button', { name: /save/i }).click();
      await page.getByText(/successfully updated/i).waitFor();
      const stored = await h.t.em().findOneOrFail(User, user.id);
      expect(stored.name).toBe('After Edit');
    }));

  /**
   * Soft delete → still listed, with Restore → restored → both in the audit log. Generic over a
   * soft-deletable resource; after the merge the integrator adds Party here.
   */
  const softDeleteAndRestore = (resource: string, create: () => Promise<{ id: string }>) =>
    inPage(h, `soft-delete-restore-${resource}`, async (page) => {
      const record = await create();
      await loginAsAdmin(page);
      const show = `${h.base}/admin/resources/${resource}/records/${record.id}/show`;
      await page.goto(show);
      await page.getByTestId('action-delete').first().click();
      await page.getByRole('button', { name: /confirm/i }).click();
      await page.getByText(/successfully deleted/i).waitFor();

      await page.goto(show);
      await page.getByTestId('action-restore').first().click();
      await page.getByRole('button', { name: /confirm/i }).click();
      await page
        .getByText(/restored/i)
        .first()
        .waitFor();

      await page.goto(`${h.base}/admin/resources/AuditLog?filters.recordId=${record.id}`);
      await page
        .locator('td', { hasText: /^delete$/i })
        .first()
        .waitFor();
      await page
        .locator('td', { hasText: /^restore$/i })
        .first()
        .waitFor();
      await page.getByText(admin.email).first().waitFor();
    });

  it('soft-deletes and restores a user, and shows both in the audit log', () =>
    softDeleteAndRestore('User', () => createUser(h.t)));

  it('downloads a CSV export from the list', () =>
    inPage(h, 'export-csv', async (page) => {
      await loginAsAdmin(page);
      await page.goto(`${h.base}/admin/resources/User`);
      await page.getByTestId('action-exportCsv').first().click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv-download').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
      const stream = await download.createReadStream();
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^id,email,name,/);
      expect(text).toContain(admin.email);
    }));
});
