/**
 * `npm start`: the whole system on its embedded defaults — store, Redis, API server and worker as separate
 * processes, demo departments and accounts on an empty store — with data kept in .data/ across restarts.
 * A child that dies is restarted (scripts/services/supervisor.ts). Ctrl-C stops every child it started.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, type ManagedProcess } from './services/childProcess';
import { provisionRedis } from './services/redis';
import { provisionStore } from './services/store';
import { supervise } from './services/supervisor';
import { ensureWebBuild } from './services/webBuild';
import { connectStore } from '../server/db/connection';
import { bindModels, syncIndexes } from '../server/db/models/index';
import { seedDemoData } from '../server/db/seed';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.FAIRREVIEW_DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
fs.mkdirSync(logDir, { recursive: true });
const port = Number(process.env.PORT ?? 3000);
const demo = (process.env.FAIRREVIEW_DEMO ?? 'true') !== 'false' && process.env.FAIRREVIEW_DEMO !== '0';
const demoPassword = process.env.FAIRREVIEW_DEMO_PASSWORD ?? 'demo1234';
/** Where `fairreview backup` / `restore` (bin/backup.ts) find the running store. */
const storeAddressFile = path.join(dataDir, 'store.uri');

const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping…');
  for (const { name, stop } of stoppers.reverse()) {
    await stop().then(
      () => console.log(`[start] stopped ${name}`),
      (err: Error) => console.error(`[start] ${name}: ${err.message}`),
    );
  }
  fs.rmSync(storeAddressFile, { force: true });
  console.log('[start] stopped');
  process.exit(code);
}
// The children run in their own process groups (see startProcess): these signals reach only this process,
// which stops the API and worker first, then Redis and the store.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

/** Runs `start` under supervision (restarted with backoff when it dies) and stops it on Ctrl-C. */
async function keepRunning(name: string, start: () => Promise<ManagedProcess>, { mustExitCleanly }: { mustExitCleanly: boolean }) {
  const supervised = await supervise(name, start, (line) => console.error(`${line}; see ${logDir}`));
  stoppers.push({
    name,
    stop: async () => {
      await supervised.stop();
      const child = supervised.current()?.child;
      if (mustExitCleanly && child && child.exitCode !== 0) throw new Error(`did not stop cleanly (${child.signalCode ?? `exit code ${child.exitCode}`})`);
    },
  });
  return supervised;
}

/**
 * The secret that signs session tokens. Outside demo mode AUTH_SECRET must be given (the server refuses to start
 * in production without it); in demo mode one is kept in the data folder, so restarting the API (by hand or by
 * the supervisor) does not log everybody out.
 */
function authSecret(): string | undefined {
  if (process.env.AUTH_SECRET || !demo) return process.env.AUTH_SECRET;
  const file = path.join(dataDir, 'auth-secret');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

try {
  await ensureWebBuild({ log: (line) => console.log(line.replace('[web]', '[start]')) });
  // The store and Redis we start ourselves are restarted on the same port (and data) when they die.
  const store = await provisionStore({ dataDir: path.join(dataDir, 'store'), logFile: path.join(logDir, 'store.log') });
  if (store.process) {
    let first: ManagedProcess | undefined = store.process;
    await keepRunning('store', async () => {
      const proc = first ?? (await provisionStore({ dataDir: path.join(dataDir, 'store'), port: store.port, logFile: path.join(logDir, 'store.log') })).process!;
      first = undefined;
      return proc;
    }, { mustExitCleanly: false });
  }
  console.log(`[start] store: ${store.kind} at ${store.uri}`);
  fs.writeFileSync(storeAddressFile, `${store.uri}\n`);
  const redis = await provisionRedis({ dataDir: path.join(dataDir, 'redis'), persist: true, logFile: path.join(logDir, 'redis.log') });
  if (redis.process) {
    let first: ManagedProcess | undefined = redis.process;
    await keepRunning('redis', async () => {
      const proc = first ?? (await provisionRedis({ dataDir: path.join(dataDir, 'redis'), persist: true, port: redis.port, logFile: path.join(logDir, 'redis.log') })).process!;
      first = undefined;
      return proc;
    }, { mustExitCleanly: false });
  }
  console.log(`[start] redis: ${redis.kind} at ${redis.url}`);

  if (demo) {
    const connection = await connectStore(store.uri);
    const models = bindModels(connection);
    await syncIndexes(models);
    if (await seedDemoData(models, demoPassword)) console.log('[start] seeded demo departments and accounts');
    await connection.close();
  }

  const secret = authSecret();
  const env = {
    ...process.env,
    MONGODB_URI: store.uri,
    REDIS_URL: redis.url,
    PORT: String(port),
    FAIRREVIEW_DEMO: demo ? 'true' : 'false',
    FAIRREVIEW_DATA_DIR: dataDir,
    ...(secret ? { AUTH_SECRET: secret } : {}),
  };
  const node = [process.execPath, '--import', 'tsx'] as const;
  await keepRunning('worker', async () => startProcess('worker', node[0], [...node.slice(1), 'workers/main.ts'], { cwd: root, env, logFile: path.join(logDir, 'worker.log') }), { mustExitCleanly: true });
  await keepRunning('api', async () => startProcess('api', node[0], [...node.slice(1), 'server/main.ts'], { cwd: root, env, logFile: path.join(logDir, 'api.log') }), { mustExitCleanly: true });

  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/health`, 60_000);
  console.log(`\nFairReview is running at ${url}  (logs in ${logDir})`);
  if (demo) {
    console.log(`Demo accounts (password ${process.env.FAIRREVIEW_DEMO_PASSWORD ? 'from FAIRREVIEW_DEMO_PASSWORD' : demoPassword}): drafter, lead, drafter2, regulator, member1–member3, evaluator, handler, admin`);
  }
  console.log('Press Ctrl-C to stop.');
} catch (err) {
  console.error(`[start] ${(err as Error).message}`);
  await stopAll(1);
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs / 1000} s; see ${logDir}/api.log`);
}
