/**
 * The real system for the browser journeys: the app on the test store and Redis, a real worker process, the
 * demo accounts, and Debian's Chromium driven by playwright-core. Each journey opens pages as a given user,
 * signing in through the login form like a person. When a test fails, a screenshot of every page it opened is
 * kept in test/browser/artifacts/ (not committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seedDemoData } from '../../server/db/seed';
import { demoUsers, type DemoUsers } from '../integration/api/policyHelpers';
import { startTestApp, type TestApp } from '../support/testApp';
import { startWorker, type WorkerProcess } from '../support/workerProcess';

export const artifactsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** Generous: the machine runs several test suites at once. */
export const UI_TIMEOUT_MS = 30_000;

export interface Harness {
  app: TestApp;
  baseUrl: string;
  /** Script errors any page reported (uncaught exceptions and console errors other than failed requests). */
  pageErrors: string[];
  /** Opens a page in a fresh browser context, signed in as `username` (or signed out when omitted). */
  open(username?: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Screenshots of every open page into artifacts/, named after the test. */
  screenshots(testTitle: string): Promise<string[]>;
  /** Closes the pages of the test that just ended. */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(label: string): Promise<Harness> {
  const executablePath = process.env.FAIRREVIEW_CHROMIUM;
  if (!executablePath) throw new Error('FAIRREVIEW_CHROMIUM is not set: run the browser tests through npm test, which installs Debian\'s chromium');
  const app = await startTestApp({ label });
  let worker: WorkerProcess | undefined;
  let browser: Browser | undefined;
  try {
    await seedDemoData(app.deps.models, 'demo1234');
    [worker, browser] = await Promise.all([
      // Production lock times: the fast takeover the fault tests use would re-run a job on this busy machine, and
      // a re-run clears the version's findings for a moment, which a person would never see.
      startWorker(app, { WORKER_LOCK_DURATION_MS: '30000', WORKER_STALLED_INTERVAL_MS: '30000' }),
      // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
      chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
    ]);
  } catch (err) {
    await Promise.allSettled([worker?.stop(), browser?.close(), app.close()]);
    throw err;
  }
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const chrome = browser;
  const process_ = worker;

  return {
    app,
    baseUrl: app.baseUrl,
    pageErrors,
    async open(username, viewport = DESKTOP) {
      const context = await chrome.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
      if (username) await signIn(page, app.baseUrl, username);
      return page;
    },
    async screenshots(testTitle) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      const base = testTitle.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
      const written: string[] = [];
      let i = 0;
      for (const context of contexts) {
        for (const page of context.pages()) {
          const file = path.join(artifactsDir, `${base}-${++i}.png`);
          await page.screenshot({ path: file, fullPage: true }).then(() => written.push(file), () => {});
        }
      }
      return written;
    },
    async closePages() {
      await Promise.allSettled(contexts.splice(0).map((c) => c.close()));
    },
    async close() {
      await Promise.allSettled(contexts.splice(0).map((c) => c.close()));
      await Promise.allSettled([chrome.close(), process_.stop()]);
      await app.close();
    },
  };
}

/**
 * Registers a browser suite's hooks: before it, the harness and the demo users, handed to `started`; after each
 * failed test, screenshots of its pages; after each test, its pages closed; after the suite, everything stopped.
 */
export function useBrowserSuite(label: string, started: (suite: { h: Harness; u: DemoUsers }) => void): void {
  let h: Harness | undefined;
  before(async function () {
    h = await startHarness(label);
    started({ h, u: await demoUsers(h.app) });
  });
  afterEach(async function () {
    if (!h) return;
    if (this.currentTest?.state === 'failed') {
      const files = await h.screenshots(this.currentTest.fullTitle());
      if (files.length) console.log(`      screenshots of the failure: ${files.join(', ')}`);
    }
    await h.closePages();
  });
  after(async function () {
    await h?.close();
  });
}

export async function signIn(page: Page, baseUrl: string, username: string, password = 'demo1234'): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
}

/** Picks the option named `option` (exactly, unless `exact` is false) in the Element Plus select found by `trigger`. */
export async function choose(page: Page, trigger: string, option: string, { exact = true } = {}): Promise<void> {
  await page.locator(trigger).click();
  await page.getByRole('option', { name: option, exact }).filter({ visible: true }).first().click();
}

/** Milliseconds until `ready` resolves after `start` is called. */
export async function timed(start: () => Promise<unknown>, ready: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await start();
  await ready();
  return performance.now() - began;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
