/**
 * `npm test`: lint, typecheck, then unit and integration tests against a real store and a real Redis that
 * this script starts on free ports in temporary folders (never .data/), and tears down afterwards.
 * Usage: npm test [-- [--quick] [--grep PATTERN] [test files or folders…]]   (--quick skips lint and typecheck)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { run } from './services/childProcess';
import { provisionRedis, type ProvisionedRedis } from './services/redis';
import { provisionStore, type ProvisionedStore } from './services/store';
import { ensureWebBuild } from './services/webBuild';
import { ensureChromium } from '../test/browser/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const args = process.argv.slice(2);
const quick = args.includes('--quick');
let grep: string | undefined;
const selected: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--grep') grep = args[++i];
  else if (!args[i]!.startsWith('--')) selected.push(args[i]!);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-test-'));
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
/** The folders whose imports the dependency rules check. */
const SOURCE_FOLDERS = ['server', 'workers', 'checklists', 'templates', 'scripts', 'bench', 'test', 'bin'];

let store: ProvisionedStore | undefined;
let redis: ProvisionedRedis | undefined;
let exitCode = 1;
async function stopServices() {
  await Promise.allSettled([store?.stop(), redis?.stop()]);
  fs.rmSync(tmp, { recursive: true, force: true });
}
// The services run in their own process groups, so an interrupted run stops them itself.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n[test] ${signal}: stopping the test services`);
    void stopServices().then(() => process.exit(130));
  });
}
try {
  // Lint, typecheck and the dependency rules (.dependency-cruiser.cjs) run while the services start.
  const checks = quick ? Promise.resolve([0, 0, 0]) : Promise.all([
    run(bin('eslint'), ['.'], { cwd: root }),
    run(bin('tsc'), ['--noEmit', '-p', '.'], { cwd: root }),
    run(bin('depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...SOURCE_FOLDERS], { cwd: root }),
  ]);
  // The UI is built (when its sources changed) and the browser tests get Debian's Chromium while the services start.
  const files = testFiles(selected.length ? selected : ['test/unit', 'test/integration', 'test/e2e', 'test/browser']);
  const needsBrowser = files.some((file) => file.includes(`${path.sep}browser${path.sep}`));
  const browserReady = Promise.all([ensureWebBuild(), needsBrowser ? ensureChromium() : Promise.resolve('')]);
  // The test run brings its own services even if the shell has MONGODB_URI/REDIS_URL for a dev instance,
  // unless FAIRREVIEW_TEST_USE_ENV_SERVICES=1 asks to test against those.
  const serviceEnv = process.env.FAIRREVIEW_TEST_USE_ENV_SERVICES === '1' ? process.env : { ...process.env, MONGODB_URI: '', REDIS_URL: '' };
  [store, redis] = await Promise.all([
    provisionStore({ dataDir: path.join(tmp, 'store'), database: 'fairreview_test', env: serviceEnv, logFile: path.join(tmp, 'store.log') }),
    provisionRedis({ dataDir: path.join(tmp, 'redis'), persist: false, env: serviceEnv, logFile: path.join(tmp, 'redis.log') }),
  ]);
  process.env.MONGODB_URI = store.uri;
  process.env.REDIS_URL = redis.url;
  process.env.FAIRREVIEW_TEST_TMP = tmp;
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ??= 'silent';
  console.log(`[test] store ${store.kind} ${store.uri}, redis ${redis.url}`);

  const [, chromium] = await browserReady;
  if (chromium) process.env.FAIRREVIEW_CHROMIUM = chromium;
  const [lintCode, typeCode, dependencyCode] = await checks;
  if (!quick) console.log(`[test] lint ${lintCode === 0 ? 'ok' : 'FAILED'}, typecheck ${typeCode === 0 ? 'ok' : 'FAILED'}, dependency rules ${dependencyCode === 0 ? 'ok' : 'FAILED'}`);

  const mocha = new Mocha({ timeout: 30_000, reporter: 'spec', grep, forbidOnly: true, forbidPending: true });
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const checksFailed = lintCode !== 0 || typeCode !== 0 || dependencyCode !== 0;
  console.log(`\n[test] ${files.length} files in ${seconds} s${checksFailed ? ' — lint, typecheck or dependency rules FAILED' : ''}`);
  console.log(`tests: ${stats.passes} passed, ${stats.failures} failed`);
  exitCode = stats.failures === 0 && stats.pending === 0 && stats.passes > 0 && !checksFailed ? 0 : 1;
} catch (err) {
  console.error(`[test] ${(err as Error).stack ?? err}`);
} finally {
  await stopServices();
}
process.exit(exitCode);

function testFiles(targets: string[]): string[] {
  const out: string[] = [];
  for (const target of targets) {
    const full = path.resolve(root, target);
    if (!fs.existsSync(full)) continue;
    if (fs.statSync(full).isFile()) out.push(full);
    else for (const rel of fs.readdirSync(full, { recursive: true }) as string[]) {
      if (rel.endsWith('.test.ts')) out.push(path.join(full, rel));
    }
  }
  return out.sort();
}
