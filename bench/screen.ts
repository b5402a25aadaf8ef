/**
 * Screening benchmark (`npm run bench -- screen [docs=2000] [workers=1,2] [concurrency=8] [poll=2] [pdf=1] [cli=1]`): generates `docs`
 * realistic policies (70% DOCX, 20% PDF, 10% TXT; 3,000–30,000 characters each, a fifth of every format with
 * restrictive clauses; one folder per department and year), then screens them
 *   - through the real system, for each worker count on a fresh database: the store and Redis the project's scripts
 *     start, the API process (polled for the batch's progress every `poll` seconds — 2, as the web UI does; 0 for
 *     none), that many worker
 *     processes (`workers/main.ts`) already running, and the admin's `fairreview batch import DIR` as its own
 *     process. Timed from the import's start to the batch completed, so unpacking is part of the figure;
 *   - through the offline CLI (`fairreview screen`, worker threads on all cores).
 * DOCX+TXT and PDF are separate batches, so each has its own documents per hour (`pdf=0` skips the PDF ones). Reported per run: documents per
 * hour, CPU milliseconds per document of every process (where the time goes), peak RSS of every process (VmHWM;
 * the store's and Redis's are since the bench started them), and the load average before and after (other work on
 * the machine slows everything).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchPolicyText } from './analyze.js';
import { makeDocx, makePdf } from '../test/fixtures/makeDocuments.js';
import { startBenchApi } from './support/browserSystem.js';

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
    // slot + tens digit: every format gets its share (i alone would tie the flagged ones to DOCX slots)
    if ((slot + Math.floor(i / 10)) % Math.round(1 / FLAGGED_SHARE) === 0) {
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
function peakRssMb(pid: number | undefined): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a live process has used so far (Linux: /proc/PID/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Follows a short-lived process: its CPU and peak RSS, sampled until it exits. */
function sampled(child: ChildProcess) {
  let cpu = 0;
  let peak: number | null = null;
  const sample = () => {
    cpu = Math.max(cpu, cpuSeconds(child.pid));
    peak = Math.max(peak ?? 0, peakRssMb(child.pid) ?? 0) || peak;
  };
  const sampler = setInterval(sample, 100);
  return {
    /** the last sample before it exited (CPU to 0.1 s) */
    stop: () => {
      clearInterval(sampler);
      return { cpu, peak };
    },
    sample,
  };
}

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${log}`)), 120_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"worker started"')) {
        clearTimeout(timer);
        log = '';
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-20_000); });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${log}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
}

interface Services { storeUri: string; redisUrl: string; storePid?: number; redisPid?: number }

/** `fairreview batch import DIR` as the admin runs it; resolves with the batch id it printed. */
async function importFolder(env: NodeJS.ProcessEnv, dir: string) {
  const child = spawn(process.execPath, ['bin/fairreview.js', 'batch', 'import', dir, '--as', 'admin'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const usage = sampled(child);
  let output = '';
  child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const { cpu, peak } = usage.stop();
  const batchId = /批次 ([0-9a-f]{24})/.exec(output)?.[1];
  if (code !== 0 || !batchId) throw new Error(`batch import exited with ${code}:\n${output.slice(-4000)}`);
  return { batchId, cpu, peak };
}

/** One folder through `workers` worker processes, the API and `batch import`, on a fresh database. */
async function throughWorkers(services: Services, dir: string, workers: number, concurrency: number, pollSeconds: number) {
  const { connectStore } = await import('../server/db/connection.js');
  const { bindModels, syncIndexes } = await import('../server/db/models/index.js');
  const { seedDemoData } = await import('../server/db/seed.js');
  const { ScreeningRepository } = await import('../server/db/screeningRepository.js');

  const uri = new URL(services.storeUri);
  uri.pathname = `/bench_screen_${Date.now()}_${workers}`;
  const prefix = `bench-screen-${Date.now()}`;
  const store = await connectStore(uri.toString());
  const models = bindModels(store);
  await syncIndexes(models);
  await seedDemoData(models, 'demo1234');
  const repo = new ScreeningRepository(models);
  const env = { ...process.env, NODE_ENV: 'production', AUTH_SECRET: 'bench-secret-'.padEnd(40, 'x'), LOG_LEVEL: 'info', WORKER_CONCURRENCY: String(concurrency), MONGODB_URI: uri.toString(), REDIS_URL: services.redisUrl, QUEUE_PREFIX: prefix };
  const children: ChildProcess[] = [];
  try {
    const { api, base } = await startBenchApi(uri.toString(), services.redisUrl, { QUEUE_PREFIX: prefix });
    children.push(api);
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo1234' }) });
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const workerProcesses = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));
    children.push(...workerProcesses);

    const tracked = { api: api.pid, store: services.storePid, redis: services.redisPid };
    const cpuBefore = { workers: workerProcesses.map((w) => cpuSeconds(w.pid)), ...Object.fromEntries(Object.entries(tracked).map(([k, pid]) => [k, cpuSeconds(pid)])) } as Record<string, number> & { workers: number[] };
    const loadBefore = load();
    const started = performance.now();
    const imported = await importFolder(env, dir);
    const importSeconds = (performance.now() - started) / 1000;

    // the batch's state from the store every 250 ms (one _id lookup) times the end; the API's progress every
    // `pollSeconds` is what the web UI asks while a batch runs
    let nextApiPoll = 0;
    for (;;) {
      if (pollSeconds > 0 && performance.now() >= nextApiPoll) {
        nextApiPoll = performance.now() + pollSeconds * 1000;
        const res = await fetch(`${base}/api/v1/screening-batches/${imported.batchId}`, { headers: auth });
        if (!res.ok) throw new Error(`progress: ${res.status} ${await res.text()}`);
      }
      const batch = await repo.findBatch(imported.batchId);
      if (batch?.state === 'completed') break;
      if (batch?.state !== 'running') throw new Error(`batch ended ${batch?.state}`);
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = (pid: number | undefined, before: number) => cpuSeconds(pid) - before;
    const view = (await (await fetch(`${base}/api/v1/screening-batches/${imported.batchId}`, { headers: auth })).json()) as { progress: { documents: number; screened: number; failed: number; duplicates: number } };
    const documents = view.progress.documents;
    const msPerDocument = (cpuSecondsUsed: number) => round((cpuSecondsUsed * 1000) / Math.max(1, documents), 1);
    return {
      documents,
      screened: view.progress.screened,
      failed: view.progress.failed,
      importSeconds: round(importSeconds, 1),
      seconds: round(seconds, 1),
      documentsPerHour: round((documents / seconds) * 3600),
      cpuMsPerDocument: {
        workers: workerProcesses.map((w, i) => msPerDocument(cpu(w.pid, cpuBefore.workers[i]!))),
        store: msPerDocument(cpu(tracked.store, cpuBefore.store!)),
        redis: msPerDocument(cpu(tracked.redis, cpuBefore.redis!)),
        api: msPerDocument(cpu(tracked.api, cpuBefore.api!)),
        batchImport: msPerDocument(imported.cpu),
      },
      peakRssMb: {
        workers: workerProcesses.map((w) => peakRssMb(w.pid)),
        api: peakRssMb(tracked.api),
        batchImport: imported.peak,
        store: peakRssMb(tracked.store),
        redis: peakRssMb(tracked.redis),
      },
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await Promise.all(children.map(stopChild));
    await store.db?.dropDatabase().catch(() => undefined);
    await store.close();
  }
}

/** One folder through the offline CLI (worker threads on all cores). */
async function throughCli(dir: string, out: string) {
  const loadBefore = load();
  const child = spawn(process.execPath, ['bin/fairreview.js', 'screen', dir, '--out', out, '--json', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const usage = sampled(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const { cpu, peak } = usage.stop();
  if (code !== 0) throw new Error(`CLI exited with ${code}: ${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { documents: number; failed: number; seconds: number; documentsPerHour: number; threads: number; peakRssMb: number };
  return { ...summary, cpuMsPerDocument: round((cpu * 1000) / Math.max(1, summary.documents), 1), peakRssMbSampled: peak, loadBefore, loadAfter: load() };
}

export default async function screenBench(options: { docs?: number; workers?: string | number; cli?: number; concurrency?: number; poll?: number; pdf?: number } = {}) {
  const count = Number(options.docs ?? 2000);
  // jobs each worker process runs at once: screening waits on the store between documents, so more than the default 2
  const concurrency = Number(options.concurrency ?? 8);
  const pollSeconds = Number(options.poll ?? 2);
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
    const services = { storeUri: store.uri, redisUrl: redis.url, storePid: store.process?.child.pid, redisPid: redis.process?.child.pid };
    const workers: Record<string, unknown> = {};
    for (const n of workerCounts) {
      workers[`${n}`] = {
        docxTxt: await throughWorkers(services, path.join(tmp, 'corpus', 'docx-txt'), n, concurrency, pollSeconds),
        pdf: options.pdf === 0 ? null : await throughWorkers(services, path.join(tmp, 'corpus', 'pdf'), n, concurrency, pollSeconds),
      };
    }
    const cli = options.cli === 0 ? null : {
      docxTxt: await throughCli(path.join(tmp, 'corpus', 'docx-txt'), path.join(tmp, 'docx-txt.xlsx')),
      pdf: options.pdf === 0 ? null : await throughCli(path.join(tmp, 'corpus', 'pdf'), path.join(tmp, 'pdf.xlsx')),
    };
    return {
      bench: 'screen',
      documents: count,
      corpus: { ...corpus, generationSeconds },
      store: store.kind,
      cores: os.availableParallelism(),
      jobsPerWorker: concurrency,
      progressPollSeconds: pollSeconds,
      workerProcesses: workers,
      cli,
      node: process.version,
    };
  } finally {
    await Promise.allSettled([store.stop(), redis.stop()]);
    rmSync(tmp, { recursive: true, force: true });
  }
}
