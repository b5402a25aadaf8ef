/**
 * The real system a browser benchmark drives: its own embedded store and Redis in a temporary folder, the demo
 * accounts, the API process (`server/main.ts`, production mode, serving the built web UI) and Debian's Chromium
 * (playwright-core). `prepare` runs on the store before the API starts (seeding). Not a benchmark itself: bench/run.ts
 * lists only the files directly in bench/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connectStore } from '../../server/db/connection';
import { bindModels, syncIndexes, type Models } from '../../server/db/models/index';
import { seedDemoData } from '../../server/db/seed';
import { freePort } from '../../scripts/services/ports';
import { provisionRedis } from '../../scripts/services/redis';
import { provisionStore } from '../../scripts/services/store';
import { ensureWebBuild } from '../../scripts/services/webBuild';
import { ensureChromium } from '../../test/browser/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BrowserSystem {
  base: string;
  models: Models;
  /** A desktop page signed in as `username` through the login form. */
  signedIn(username: string): Promise<Page>;
  close(): Promise<void>;
}

export async function waitUntilHealthy(base: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not become healthy within 120 s');
}

export async function startBrowserSystem(label: string, prepare: (models: Models) => Promise<void> = async () => {}): Promise<BrowserSystem> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `fairreview-bench-${label}-`));
  const noExternal = { ...process.env, MONGODB_URI: '', REDIS_URL: '' };
  const log = (line: string) => console.error(line);
  const [store, redis, executablePath] = await Promise.all([
    provisionStore({ dataDir: path.join(tmp, 'store'), database: 'bench', env: noExternal, logFile: path.join(tmp, 'store.log') }),
    provisionRedis({ dataDir: path.join(tmp, 'redis'), persist: false, env: noExternal, logFile: path.join(tmp, 'redis.log') }),
    ensureChromium(log),
    ensureWebBuild({ log }),
  ]);
  const connection = await connectStore(store.uri);
  const models = bindModels(connection);
  let api: ChildProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    api?.kill('SIGTERM');
    await connection.close();
    await Promise.allSettled([store.stop(), redis.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await syncIndexes(models);
    await seedDemoData(models, 'demo1234');
    await prepare(models);
    const started = await startBenchApi(store.uri, redis.url);
    api = started.api;
    const base = started.base;
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const chrome = browser;
    return {
      base,
      models,
      async signedIn(username) {
        const page = await (await chrome.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
        await page.goto(`${base}/#/login`);
        await page.locator('input[name=username]').fill(username);
        await page.locator('input[name=password]').fill('demo1234');
        await page.getByRole('button', { name: '登录' }).click();
        await page.waitForURL((u) => !u.hash.startsWith('#/login'));
        return page;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The median of the samples. */
export function p50(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

/** An API process of the benchmarks on the given store and Redis, answering health checks. */
export async function startBenchApi(storeUri: string, redisUrl: string, env: NodeJS.ProcessEnv = {}): Promise<{ api: ChildProcess; base: string }> {
  const port = await freePort();
  const api = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), MONGODB_URI: storeUri, REDIS_URL: redisUrl, AUTH_SECRET: 'bench-secret-'.padEnd(40, 'x'), LOG_LEVEL: 'fatal', QUEUE_PREFIX: 'bench', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(base);
  return { api, base };
}
