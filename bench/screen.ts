/**
 * Screening benchmark (`npm run bench -- screen [docs=2000] [workers=1,2] [concurrency=8] [cli=1]`): generates `docs` realistic
 * policies (70% DOCX, 20% PDF, 10% TXT; 3,000–30,000 characters each; one folder per department and year), then
 * screens them
 *   - through the real workers: for each worker count, a fresh database; the batch is imported from the folder
 *     (`batch import`'s use case), then that many worker processes (`workers/main.ts`) screen it, on the store and
 *     Redis the project's scripts start;
 *   - through the offline CLI (`fairreview screen`, worker threads on all cores).
 * DOCX+TXT and PDF are separate batches, so each has its own documents per hour. Reported per run: documents per
 * hour (from the first worker ready to the batch completed), peak RSS of every process (VmHWM), and the load
 * average before and after (other work on the machine slows everything).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchPolicyText } from './analyze.js';
import { makeDocx, makePdf } from '../test/fixtures/makeDocuments.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEPARTMENTS = ['市商务局', '市住房和城乡建设局', '市交通运输局', '市卫生健康委员会', '市发展和改革委员会', '市工业和信息化局', '市农业农村局', '区人民政府办公室'];

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const load = () => os.loadavg().map((x) => round(x, 2));

/** The project's labelled clauses (test/fixtures/clauses.jsonl), compliant and violating apart. */
function labelledClauses(): { compliant: string[]; violating: string[] } {
  const rows = readFileSync(path.join(root, 'test/fixtures/clauses.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; label: string });
  return { compliant: rows.filter((r) => r.label === 'compliant').map((r) => r.text), violating: rows.filter((r) => r.label === 'violation').map((r) => r.text) };
}

/** Share of the stock with restrictive clauses in it (most policies in force are clean), and how many each has. */
const FLAGGED_SHARE = 0.2;
const MAX_VIOLATIONS = 5;

/** Writes the corpus: `docx-txt/` and `pdf/`, each with department/year folders. */
async function generate(dir: string, count: number): Promise<{ docxTxt: number; pdf: number; chars: { min: number; max: number; mean: number } }> {
  const clauses = labelledClauses();
  let docxTxt = 0, pdf = 0, total = 0, min = Infinity, max = 0;
  for (let i = 0; i < count; i++) {
    const slot = i % 10; // 0–6 DOCX, 7–8 PDF, 9 TXT
    const chars = 3000 + ((i * 7919) % 27001);
    // compliant clauses in a different order per document; a fifth of them with 1–5 violating clauses among
    // them; and its own number, so every content is distinct
    const offset = (i * 37) % clauses.compliant.length;
    const mix = [...clauses.compliant.slice(offset), ...clauses.compliant.slice(0, offset)];
    if ((i * 7) % 10 < FLAGGED_SHARE * 10) {
      for (let v = 0; v <= i % MAX_VIOLATIONS; v++) mix.splice(v * 3 + 1, 0, clauses.violating[(i * 13 + v) % clauses.violating.length]!);
    }
    const text = `${benchPolicyText(chars, mix)}\n本文件编号：第${i + 1}号。`;
    total += text.length; min = Math.min(min, text.length); max = Math.max(max, text.length);
    const folder = path.join(dir, slot === 7 || slot === 8 ? 'pdf' : 'docx-txt', DEPARTMENTS[i % DEPARTMENTS.length]!, String(2015 + (i % 10)));
    mkdirSync(folder, { recursive: true });
    const name = `政策文件${String(i + 1).padStart(5, '0')}`;
    if (slot <= 6) {
      writeFileSync(path.join(folder, `${name}.docx`), await makeDocx(text.split('\n').map((paragraph) => ({ paragraph }))));
      docxTxt++;
    } else if (slot <= 8) {
      writeFileSync(path.join(folder, `${name}.pdf`), makePdf(text.split('\n')));
      pdf++;
    } else {
      writeFileSync(path.join(folder, `${name}.txt`), text);
      docxTxt++;
    }
  }
  return { docxTxt, pdf, chars: { min, max, mean: round(total / count) } };
}

/** Peak resident set size of a live process in MB (Linux: VmHWM). */
function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${log}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"worker started"')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${log}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
}

/** One folder through `workers` worker processes on a fresh database. */
async function throughWorkers(storeUri: string, redisUrl: string, dir: string, workers: number, concurrency: number) {
  const { connectStore } = await import('../server/db/connection.js');
  const { bindModels, syncIndexes } = await import('../server/db/models/index.js');
  const { seedDemoData } = await import('../server/db/seed.js');
  const { createQueues } = await import('../server/queues.js');
  const { toActor } = await import('../server/domain/roles.js');
  const { batchCounts, readableBatch, startBatchFromDirectory } = await import('../server/services/screening/batches.js');

  const uri = new URL(storeUri);
  uri.pathname = `/bench_screen_${Date.now()}_${workers}`;
  const prefix = `bench-screen-${Date.now()}`;
  const store = await connectStore(uri.toString());
  const models = bindModels(store);
  await syncIndexes(models);
  await seedDemoData(models, 'bench-password');
  const queues = createQueues(redisUrl, prefix);
  const config = { MAX_UPLOAD_BYTES: 20 * 1024 * 1024 };
  const deps = { models, store, queues, config };
  const actor = toActor((await models.User.findOne({ username: 'admin' }).lean())!);
  const children: ChildProcess[] = [];
  try {
    const loadBefore = load();
    const importStarted = performance.now();
    const batch = await startBatchFromDirectory(deps, actor, { dir });
    const importSeconds = (performance.now() - importStarted) / 1000;

    const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', WORKER_CONCURRENCY: String(concurrency), MONGODB_URI: uri.toString(), REDIS_URL: redisUrl, QUEUE_PREFIX: prefix };
    children.push(...await Promise.all(Array.from({ length: workers }, () => startWorker(env))));
    const started = performance.now();
    // only the batch's state while it runs: counting its documents is a scan, and would load the store being measured
    for (;;) {
      const current = await readableBatch(deps, actor, batch.id);
      if (current.state === 'completed') break;
      if (current.state !== 'running') throw new Error(`batch ended ${current.state}`);
      await sleep(500);
    }
    const seconds = (performance.now() - started) / 1000;
    const counts = await batchCounts(deps, await readableBatch(deps, actor, batch.id));
    const result = {
      documents: counts.documents,
      screened: counts.screened,
      failed: counts.failed,
      jobsPerWorker: concurrency,
      importSeconds: round(importSeconds, 1),
      screenSeconds: round(seconds, 1),
      documentsPerHour: round((counts.documents / seconds) * 3600),
      workerPeakRssMb: children.map((c) => peakRssMb(c.pid!)),
      loadBefore,
      loadAfter: load(),
    };
    return result;
  } finally {
    await Promise.all(children.map(stopWorker));
    await store.db?.dropDatabase().catch(() => undefined);
    await queues.close();
    await store.close();
  }
}

/** One folder through the offline CLI (worker threads on all cores). */
async function throughCli(dir: string, out: string) {
  const loadBefore = load();
  const child = spawn(process.execPath, ['bin/fairreview.js', 'screen', dir, '--out', out, '--json', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peak: number | null = null;
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const sampler = setInterval(() => { peak = Math.max(peak ?? 0, peakRssMb(child.pid!) ?? 0); }, 200);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`CLI exited with ${code}: ${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { documents: number; failed: number; seconds: number; documentsPerHour: number; threads: number; peakRssMb: number };
  return { ...summary, peakRssMbSampled: peak, loadBefore, loadAfter: load() };
}

export default async function screenBench(options: { docs?: number; workers?: string | number; cli?: number; concurrency?: number } = {}) {
  const count = Number(options.docs ?? 2000);
  // jobs each worker process runs at once: screening waits on the store between documents, so more than the default 2
  const concurrency = Number(options.concurrency ?? 8);
  const workerCounts = String(options.workers ?? '1,2').split(',').map(Number).filter((n) => n > 0);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fairreview-bench-screen-'));
  const { provisionStore } = await import('../scripts/services/store.js');
  const { provisionRedis } = await import('../scripts/services/redis.js');
  const serviceEnv = { ...process.env, MONGODB_URI: '', REDIS_URL: '' };
  const [store, redis] = await Promise.all([
    provisionStore({ dataDir: path.join(tmp, 'store'), database: 'bench', env: serviceEnv, logFile: path.join(tmp, 'store.log') }),
    provisionRedis({ dataDir: path.join(tmp, 'redis'), persist: false, env: serviceEnv, logFile: path.join(tmp, 'redis.log') }),
  ]);
  try {
    const generationStarted = performance.now();
    const corpus = await generate(path.join(tmp, 'corpus'), count);
    const generationSeconds = round((performance.now() - generationStarted) / 1000, 1);
    const workers: Record<string, unknown> = {};
    for (const n of workerCounts) {
      workers[`${n}`] = {
        docxTxt: await throughWorkers(store.uri, redis.url, path.join(tmp, 'corpus', 'docx-txt'), n, concurrency),
        pdf: await throughWorkers(store.uri, redis.url, path.join(tmp, 'corpus', 'pdf'), n, concurrency),
      };
    }
    const cli = options.cli === 0 ? null : {
      docxTxt: await throughCli(path.join(tmp, 'corpus', 'docx-txt'), path.join(tmp, 'docx-txt.xlsx')),
      pdf: await throughCli(path.join(tmp, 'corpus', 'pdf'), path.join(tmp, 'pdf.xlsx')),
    };
    return {
      bench: 'screen',
      documents: count,
      corpus: { ...corpus, generationSeconds },
      store: store.kind,
      cores: os.availableParallelism(),
      workerProcesses: workers,
      cli,
      node: process.version,
    };
  } finally {
    await Promise.allSettled([store.stop(), redis.stop()]);
    rmSync(tmp, { recursive: true, force: true });
  }
}
