/**
 * `npm start`: the whole system on its embedded defaults — store, Redis, API server and worker as separate
 * processes, demo departments and accounts on an empty store — with data kept in .data/ across restarts.
 * Ctrl-C stops every child it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, type ManagedProcess } from './services/childProcess';
import { provisionRedis } from './services/redis';
import { provisionStore } from './services/store';
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
  console.log('[start] stopped');
  process.exit(code);
}
// The children run in their own process groups (see startProcess): these signals reach only this process,
// which stops the API and worker first, then Redis and the store.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

function watch(proc: ManagedProcess) {
  proc.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`[start] ${proc.name} exited unexpectedly (code ${code}); see ${logDir}`);
      void stopAll(1);
    }
  });
  stoppers.push({
    name: proc.name,
    stop: async () => {
      await proc.stop();
      const { exitCode, signalCode } = proc.child;
      if (exitCode !== 0) throw new Error(`did not stop cleanly (${signalCode ?? `exit code ${exitCode}`})`);
    },
  });
}

try {
  await ensureWebBuild({ log: (line) => console.log(line.replace('[web]', '[start]')) });
  const store = await provisionStore({ dataDir: path.join(dataDir, 'store'), logFile: path.join(logDir, 'store.log') });
  stoppers.push({ name: 'store', stop: store.stop });
  console.log(`[start] store: ${store.kind} at ${store.uri}`);
  const redis = await provisionRedis({ dataDir: path.join(dataDir, 'redis'), persist: true, logFile: path.join(logDir, 'redis.log') });
  stoppers.push({ name: 'redis', stop: redis.stop });
  console.log(`[start] redis: ${redis.kind} at ${redis.url}`);

  if (demo) {
    const connection = await connectStore(store.uri);
    const models = bindModels(connection);
    await syncIndexes(models);
    if (await seedDemoData(models, demoPassword)) console.log('[start] seeded demo departments and accounts');
    await connection.close();
  }

  const env = {
    ...process.env,
    MONGODB_URI: store.uri,
    REDIS_URL: redis.url,
    PORT: String(port),
    FAIRREVIEW_DEMO: demo ? 'true' : 'false',
    FAIRREVIEW_DATA_DIR: dataDir,
  };
  const node = [process.execPath, '--import', 'tsx'] as const;
  watch(startProcess('worker', node[0], [...node.slice(1), 'workers/main.ts'], { cwd: root, env, logFile: path.join(logDir, 'worker.log') }));
  const api = startProcess('api', node[0], [...node.slice(1), 'server/main.ts'], { cwd: root, env, logFile: path.join(logDir, 'api.log') });
  watch(api);

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
