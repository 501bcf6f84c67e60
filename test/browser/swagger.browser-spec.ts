import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { inPage, startBrowserHarness, type BrowserHarness } from './browser.js';

describe('Swagger UI in a browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('renders at /docs with its Authorize button', () =>
    inPage(h, 'swagger-renders', async (page) => {
      await page.goto(`${h.base}/docs`);
      await page.getByRole('heading', { name: /Porch API/ }).waitFor();
      await page
        .getByRole('button', { name: /authorize/i })
        .first()
        .waitFor();
    }));

  // Swagger UI labels its dialog buttons with aria-labels ("Apply given OAuth2 credentials"),
  // so they are found by class; the fields are found by the ids Swagger UI gives them.
  it('obtains a token through the Authorize dialog and sends it with "Try it out"', () =>
    inPage(h, 'swagger-authorize', async (page) => {
      const user = await createUser(h.t);
      await page.goto(`${h.base}/docs`);
      await page
        .getByRole('button', { name: /authorize/i })
        .first()
        .click();
      const dialog = page.locator('.dialog-ux');
      const oauth = dialog.locator('.auth-container').filter({ hasText: /OAuth2, password/ });
      await oauth.locator('#oauth_username').fill(user.email);
      await oauth.locator('#oauth_password').fill(FACTORY_PASSWORD);
      const [token] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/token')),
        oauth.locator('button.authorize').click(),
      ]);
      expect(token.status()).toBe(200);
      expect(token.request().postData()).toContain('grant_type=password');
      await oauth.getByText('Authorized', { exact: true }).waitFor();
      await dialog.getByRole('button', { name: /close/i }).last().click();

      const me = page.locator('#operations-users-Users_me');
      await me.locator('.opblock-summary').first().click();
      await me.getByRole('button', { name: /try it out/i }).click();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/users/me')),
        me.getByRole('button', { name: /execute/i }).click(),
      ]);
      expect(response.status()).toBe(200);
      expect(response.request().headers().authorization).toMatch(/^Bearer \S+$/);
      expect(await response.json()).toMatchObject({ id: user.id, email: user.email });
    }));
});
