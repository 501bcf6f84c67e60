import { mkdirSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '#porch/core';
import { createTestApp, type TestApp } from '../utils/test-app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = join(REPO_ROOT, 'test-results');

export interface BrowserHarness {
  t: TestApp;
  browser: Browser;
  /** http://127.0.0.1:<port> of the app under test. */
  base: string;
  close(): Promise<void>;
}

/** The real app on a port of its own, and Debian's Chromium driven by playwright-core. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const t = await createTestApp();
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await t.app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    t,
    browser,
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Runs a scenario in a fresh browser context; on failure saves a screenshot (and the page's
 * URL) to test-results/<name>.png before rethrowing.
 */
export async function inPage(
  h: BrowserHarness,
  name: string,
  scenario: (page: Page) => Promise<void>,
  /** A signed-in state to start from (`context.storageState()`), to skip logging in again. */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<void> {
  const context = await h.browser.newContext({ acceptDownloads: true, storageState });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await scenario(page);
  } catch (error) {
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`${(error as Error).message}\n(page ${page.url()}, screenshot ${file})`, {
      cause: error,
    });
  } finally {
    await context.close();
  }
}

/** Logs in through the panel's own form. */
export async function adminLogin(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/admin/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith('/admin/login') && r.request().method() === 'POST',
    ),
    page.getByRole('button', { name: /log ?in/i }).click(),
  ]);
  await page.waitForLoadState();
}
