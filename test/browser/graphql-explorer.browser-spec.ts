import { bearer, createUser } from '../utils/factories.js';
import { inPage, startBrowserHarness, type BrowserHarness } from './browser.js';

/**
 * GraphiQL at GET /graphql, offline: every request to another origin is blocked (and recorded),
 * so a page needing a CDN would not start. It runs a signed-in query through the explorer.
 */
describe('GraphQL explorer (GraphiQL) in a browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('loads from the installed packages only and runs a query', () =>
    inPage(h, 'graphql-explorer', async (page) => {
      const user = await createUser(h.t);
      const token = await bearer(h.t, user);
      const elsewhere: string[] = [];
      const cspViolations: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${h.base}/`)) return route.continue();
        elsewhere.push(url);
        return route.abort('blockedbyclient');
      });
      page.on('console', (m) => {
        if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      // GraphiQL starts from what it stored last time: the query and the headers to send.
      await page.addInitScript(
        ([query, headers]) => {
          localStorage.setItem('graphiql:query', query);
          localStorage.setItem('graphiql:headers', headers);
        },
        ['{ me { id email } }', JSON.stringify({ Authorization: token })],
      );

      const response = await page.goto(`${h.base}/graphql`);
      expect(response!.status()).toBe(200);
      expect(response!.headers()['content-type']).toMatch(/^text\/html/);
      // The API's own strict policy, unchanged: scripts from this origin only, none inline.
      const csp = response!.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);

      await page.locator('.graphiql-container').waitFor();
      await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
      const [result] = await Promise.all([
        page.waitForResponse(
          (r) =>
            r.url() === `${h.base}/graphql` &&
            r.request().method() === 'POST' &&
            !(r.request().postData() ?? '').includes('IntrospectionQuery'),
        ),
        page.locator('.graphiql-execute-button').click(),
      ]);
      expect(result.status()).toBe(200);
      expect(result.request().headers().authorization).toBe(token);
      expect(await result.json()).toEqual({ data: { me: { id: user.id, email: user.email } } });
      await page.locator('.graphiql-response').getByText(user.email).first().waitFor();

      expect(elsewhere).toEqual([]);
      expect(cspViolations).toEqual([]);
    }));

  it('answers GraphQL requests on the same path as before (a GET query is not the page)', async () => {
    const res = await h.t.http
      .get('/graphql')
      .query({ query: '{ __typename }' })
      .set('Accept', 'application/json')
      .set('apollo-require-preflight', 'true')
      .expect(200);
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });
});
