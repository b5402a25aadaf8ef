/**
 * `fairreview screen DIR --out 清理清单.xlsx [--threads N]`: the offline screening of a folder on one machine,
 * without the store or Redis. Every file under DIR is read and hashed here (duplicates are screened once and
 * listed together); distinct contents are screened on worker threads (all cores by default) with the same
 * function the batch workers use; the list is written with the same columns as a batch's. A progress bar runs
 * on the terminal (stderr).
 */
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import { DEFAULT_MAX_BYTES } from '../../workers/analysis/extract/index';
import { departmentOfPath, suggestDisposition, type DispositionSuggestion, type ScreeningOutcome } from '../../server/domain/screeningDocument';
import { DISPOSITION_LABELS } from '../../server/domain/vocabulary';
import { readFolderFile, walkDirectory } from '../../server/services/screening/ingest';
import { listClauseRows, listDocumentRow } from '../../server/services/screening/exports';
import { writeScreeningList } from '../../templates/screening-list';
import type { ThreadRequest, ThreadResponse } from './thread';

export const SCREEN_USAGE = `用法：
  fairreview screen <文件夹> [--out 清理清单.xlsx] [--threads N] [--quiet] [--json]
    筛查文件夹（含子文件夹）中的 DOCX/PDF/TXT 文件，输出清理清单 XLSX（文件清单、问题条款两张表）。
    内容相同的文件只筛查一次并列在一起；无法读取的文件列出原因。--threads 缺省为 CPU 核数。`;

interface ScreenedDocument {
  paths: string[];
  department: string;
  outcome: ScreeningOutcome;
  suggestion: DispositionSuggestion;
}

interface Options { dir: string; out: string; threads: number; quiet: boolean; json: boolean }

function parseArgs(args: string[]): Options {
  const options: Options = { dir: '', out: '清理清单.xlsx', threads: os.availableParallelism(), quiet: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--out') options.out = args[++i] ?? '';
    else if (arg === '--threads') options.threads = Number(args[++i]);
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '--json') options.json = true;
    else if (!arg.startsWith('--') && !options.dir) options.dir = arg;
    else throw new Error(`未知参数：${arg}`);
  }
  if (!options.dir) throw new Error('缺少要筛查的文件夹');
  if (!options.out) throw new Error('--out 须给出输出文件名');
  if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > 64) throw new Error('--threads 应为 1–64 的整数');
  return options;
}

/** A pool of screening threads; `screen` resolves when a thread has screened the file. */
async function startThreads(count: number, maxBytes: number) {
  const threads = await Promise.all(Array.from({ length: count }, () => new Promise<Worker>((resolve, reject) => {
    const worker = new Worker(new URL('./thread.mjs', import.meta.url), { workerData: { maxBytes } });
    worker.once('error', reject);
    worker.once('message', (message: ThreadResponse) => {
      if ('ready' in message) resolve(worker);
    });
  })));
  const idle = [...threads];
  const waiting: Array<(worker: Worker) => void> = [];
  const pending = new Map<number, { resolve: (r: { outcome: ScreeningOutcome; suggestion: DispositionSuggestion }) => void; reject: (e: Error) => void; worker: Worker }>();
  let nextId = 0;
  const release = (worker: Worker) => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  for (const worker of threads) {
    worker.on('message', (message: ThreadResponse) => {
      if ('ready' in message) return;
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      release(job.worker);
      if ('error' in message) job.reject(new Error(message.error));
      else job.resolve(message.screened);
    });
  }
  return {
    /** Waits for a free thread and hands it the file; `done` is the promise of its outcome. */
    async submit(filename: string, data: Buffer) {
      const worker = idle.pop() ?? await new Promise<Worker>((resolve) => waiting.push(resolve));
      const id = nextId++;
      const copy = new Uint8Array(data);
      const result = new Promise<{ outcome: ScreeningOutcome; suggestion: DispositionSuggestion }>((resolve, reject) => pending.set(id, { resolve, reject, worker }));
      worker.postMessage({ id, filename, data: copy } satisfies ThreadRequest, [copy.buffer]);
      return { done: result };
    },
    async close() {
      await Promise.all(threads.map((worker) => new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      })));
    },
  };
}

export async function screenCommand(args: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(args);
  } catch (err) {
    console.error(`${(err as Error).message}\n${SCREEN_USAGE}`);
    return 2;
  }
  const root = path.resolve(options.dir);
  const started = performance.now();
  let total = 0;
  for await (const _ of walkDirectory(root)) total++;

  const bar = options.quiet ? null : new cliProgress.SingleBar({
    format: '筛查 |{bar}| {value}/{total} 个文件 | {speed} 份/小时 | 剩余 {eta_formatted}',
    barCompleteChar: '█', barIncompleteChar: '░', hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000, etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  bar?.start(total, 0, { speed: '-' });
  let finished = 0;
  const tick = () => {
    finished++;
    const hours = (performance.now() - started) / 3_600_000;
    bar?.update(finished, { speed: Math.round(finished / hours) });
  };

  const threads = await startThreads(options.threads, DEFAULT_MAX_BYTES);
  const byContent = new Map<string, ScreenedDocument>();
  const documents: ScreenedDocument[] = [];
  const inFlight: Promise<void>[] = [];
  for await (const file of walkDirectory(root)) {
    const content = await readFolderFile(file.fullPath, DEFAULT_MAX_BYTES);
    if (content.kind === 'refused') {
      documents.push({ paths: [file.path], department: departmentOfPath(file.path), outcome: content.outcome, suggestion: suggestDisposition(content.outcome) });
      tick();
      continue;
    }
    const known = byContent.get(content.sha256);
    if (known) {
      known.paths.push(file.path);
      tick();
      continue;
    }
    const doc = { paths: [file.path], department: departmentOfPath(file.path) } as ScreenedDocument;
    byContent.set(content.sha256, doc);
    documents.push(doc);
    const screening = await threads.submit(path.basename(file.path), content.data);
    inFlight.push(screening.done.then(
      (screened) => { Object.assign(doc, screened); },
      (err: Error) => {
        const outcome: ScreeningOutcome = { status: 'failed', errorCode: 'screening_failed', error: `筛查未能完成：${err.message}` };
        Object.assign(doc, { outcome, suggestion: suggestDisposition(outcome) });
      },
    ).finally(tick));
  }
  await Promise.all(inFlight);
  await threads.close();
  bar?.stop();

  // highest risk first, then more clauses, then by path: the order a batch's list has
  documents.sort((a, b) => b.suggestion.risk - a.suggestion.risk || clauseCount(b) - clauseCount(a) || a.paths[0]!.localeCompare(b.paths[0]!));
  const asStored = (d: ScreenedDocument) => {
    const screened = d.outcome.status === 'screened' ? d.outcome : null;
    return {
      paths: d.paths,
      department: d.department,
      disposition: d.suggestion.disposition,
      dispositionReason: d.suggestion.reason,
      maxScore: d.suggestion.maxScore,
      clauseCount: clauseCount(d),
      items: d.suggestion.items,
      status: d.outcome.status,
      error: d.outcome.status === 'failed' ? d.outcome.error : null,
      format: screened?.format ?? null,
      chars: screened?.chars ?? 0,
      review: { status: 'pending' as const },
      clauses: screened?.clauses ?? [],
    };
  };
  async function* rows() {
    for (const [i, d] of documents.entries()) yield listDocumentRow(i + 1, asStored(d));
  }
  async function* clauses() {
    for (const [i, d] of documents.entries()) yield* listClauseRows(i + 1, asStored(d));
  }
  const out = createWriteStream(options.out);
  const written = await writeScreeningList(out, { title: `存量政策清理清单（${path.basename(root)}）`, documents: rows(), clauses });
  await new Promise<void>((resolve, reject) => { out.on('close', () => resolve()); out.on('error', reject); out.end(); });

  const seconds = (performance.now() - started) / 1000;
  const counts = Object.fromEntries(Object.entries(DISPOSITION_LABELS).map(([key, label]) => [label, documents.filter((d) => d.suggestion.disposition === key).length]));
  const summary = {
    files: total,
    documents: documents.length,
    failed: documents.filter((d) => d.outcome.status === 'failed').length,
    clauses: written.clauses,
    dispositions: counts,
    seconds: Math.round(seconds * 10) / 10,
    documentsPerHour: Math.round((documents.length / seconds) * 3600),
    threads: options.threads,
    /** peak resident set of this process, its worker threads included */
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    out: path.resolve(options.out),
  };
  if (options.json) console.log(JSON.stringify(summary));
  else {
    console.log(`共 ${total} 个文件，去重后 ${documents.length} 份，无法读取 ${summary.failed} 份，问题条款 ${written.clauses} 处；用时 ${summary.seconds} 秒（${summary.documentsPerHour} 份/小时，${options.threads} 个线程）。`);
    console.log(`清理意见：${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join('，')}`);
    console.log(`清理清单已写入 ${summary.out}`);
  }
  return 0;
}

function clauseCount(d: ScreenedDocument): number {
  return d.outcome.status === 'screened' ? d.outcome.clauses.length : 0;
}
