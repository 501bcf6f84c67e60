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

  // The dialog renders and accepts the credentials, but the click does not reach /auth/token yet
  // (selector work left open; the token endpoint itself is covered by test/accounts).
  it.skip('obtains a token through the Authorize dialog (OAuth2 password flow)', () =>
    inPage(h, 'swagger-authorize', async (page) => {
      const user = await createUser(h.t);
      await page.goto(`${h.base}/docs`);
      await page
        .getByRole('button', { name: /authorize/i })
        .first()
        .click();
      const dialog = page.locator('.dialog-ux');
      const oauth = dialog.locator('.auth-container', { has: page.locator('#oauth_username') });
      await oauth.locator('#oauth_username').fill(user.email);
      await oauth.locator('#oauth_password').fill(FACTORY_PASSWORD);
      const [token] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/token')),
        oauth.getByRole('button', { name: /^authorize$/i }).click(),
      ]);
      expect(token.status()).toBe(200);
      await oauth.getByRole('button', { name: /logout/i }).waitFor();
    }));
});
