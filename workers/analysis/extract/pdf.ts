/**
 * PDF text extraction with pdf-parse v2 (pdf.js), run in a worker thread with a per-document time limit.
 *
 * pdf.js needs the Adobe CMaps (cMapUrl + cMapPacked) to map text in non-embedded CJK fonts such as
 * STSong-Light/UniGB-UCS2-H to Unicode; without them that text is silently dropped. The lines it returns are
 * visual lines, so wrapped lines are joined back into paragraphs here, and page-number lines are dropped.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { corruptDocument, encryptedDocument, extractionTimeout, noText } from './errors.js';
import { startsNewParagraph } from './lines.js';
import type { ExtractedBlock } from './types.js';

export interface PdfPage {
  num: number;
  text: string;
}

export interface PdfResult {
  text: string;
  blocks: ExtractedBlock[];
  pages: number;
}

export function isPdf(buf: Buffer): boolean {
  // the header may legally follow some junk within the first 1024 bytes
  const at = buf.subarray(0, 1024).indexOf('%PDF-');
  return at >= 0;
}

/** True when the file declares encryption (an /Encrypt entry in a trailer or cross-reference stream). */
export function declaresEncryption(buf: Buffer): boolean {
  return buf.indexOf('/Encrypt') >= 0;
}

let assetPaths: { cMapUrl: string; standardFontDataUrl: string } | undefined;

/** Folders of pdf.js's CMaps and standard fonts, resolved from the pdf.js that pdf-parse itself loads. */
export function pdfjsAssetPaths(): { cMapUrl: string; standardFontDataUrl: string } {
  if (!assetPaths) {
    const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
    const root = dirname(fromPdfParse.resolve('pdfjs-dist/package.json'));
    assetPaths = { cMapUrl: join(root, 'cmaps') + '/', standardFontDataUrl: join(root, 'standard_fonts') + '/' };
  }
  return assetPaths;
}

// ---------------------------------------------------------------------------------------------------------
// Worker thread with a per-job time limit

type WorkerReply =
  | { id: number; ok: true; total: number; pages: PdfPage[] }
  | { id: number; ok: false; name: string; message: string };

interface Job {
  id: number;
  data: Uint8Array;
  timeoutMs: number;
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
}

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);
const WORKER_MEMORY_MB = 512;

class PdfWorker {
  private worker?: Worker;
  private readonly queue: Job[] = [];
  private current?: { job: Job; timer: NodeJS.Timeout };
  private nextId = 1;

  parse(data: Uint8Array, timeoutMs: number): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, data, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  async shutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_MEMORY_MB } });
    worker.unref(); // an idle parser must not keep the process alive
    worker.on('message', (reply: WorkerReply) => this.finish(reply.id, (job) => job.resolve(reply)));
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`pdf worker exited with code ${code}`)));
    return worker;
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    this.worker ??= this.spawn();
    const timer = setTimeout(() => this.timeOut(job), job.timeoutMs);
    this.current = { job, timer };
    const { cMapUrl, standardFontDataUrl } = pdfjsAssetPaths();
    this.worker.postMessage({ id: job.id, data: job.data, cMapUrl, standardFontDataUrl }, [job.data.buffer as ArrayBuffer]);
  }

  private finish(id: number, settle: (job: Job) => void): void {
    const current = this.current;
    if (!current || current.job.id !== id) return;
    clearTimeout(current.timer);
    this.current = undefined;
    settle(current.job);
    this.pump();
  }

  private fail(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const current = this.current;
    if (current) this.finish(current.job.id, (job) => job.reject(err));
  }

  private timeOut(job: Job): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.finish(job.id, (j) => j.reject(new PdfTimeout()));
  }
}

class PdfTimeout extends Error {}

let sharedWorker: PdfWorker | undefined;

/** Stops the PDF worker thread (graceful shutdown); a later extraction starts a new one. */
export async function shutdownPdfWorker(): Promise<void> {
  const worker = sharedWorker;
  sharedWorker = undefined;
  await worker?.shutdown();
}

export async function extractPdf(buf: Buffer, options: { timeoutMs: number }): Promise<PdfResult> {
  const encrypted = declaresEncryption(buf);
  sharedWorker ??= new PdfWorker();
  let reply: WorkerReply;
  try {
    reply = await sharedWorker.parse(new Uint8Array(buf), options.timeoutMs);
  } catch (err) {
    if (err instanceof PdfTimeout) throw extractionTimeout('pdf', options.timeoutMs);
    throw corruptDocument('pdf', (err as Error).message);
  }
  if (!reply.ok) {
    if (encrypted || reply.name === 'PasswordException') throw encryptedDocument('pdf');
    throw corruptDocument('pdf', `${reply.name}: ${reply.message}`);
  }
  const { text, blocks } = pagesToParagraphs(reply.pages);
  if (!/[\p{L}\p{N}]/u.test(text)) throw noText('pdf');
  return { text, blocks, pages: reply.total };
}

// ---------------------------------------------------------------------------------------------------------
// Lines → paragraphs

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
/** pdf.js inserts ASCII spaces between glyphs spaced out for justification; between Chinese characters they mean nothing. */
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}，。；：、！？“”《》（）])[ \\t]+(?=[${CJK}，。；：、！？“”《》（）])`, 'g');
const PAGE_NUMBER_LINE =
  /^[\s\-—–－]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－]*$|^[\s\-—–－]*[-—–－]\s*\d{1,4}\s*[-—–－][\s\-—–－]*$/;
/** A line this much shorter than the page's full lines ends its paragraph. */
const SHORT_LINE_RATIO = 0.8;

function visualWidth(line: string): number {
  let w = 0;
  for (let i = 0; i < line.length; i++) w += line.charCodeAt(i) < 0x2e80 ? 0.5 : 1;
  return w;
}

function cleanLine(line: string): string {
  return line.replace(SPACE_BETWEEN_CJK, '').trim();
}

/** Drops a page-number line at the top or bottom of a page ("- 3 -", "第3页 共10页", "3/10"). */
function pageLines(page: PdfPage): string[] {
  const lines = page.text.split('\n').map(cleanLine).filter((l) => l.length > 0);
  if (lines.length > 0 && PAGE_NUMBER_LINE.test(lines[lines.length - 1]!)) lines.pop();
  if (lines.length > 0 && PAGE_NUMBER_LINE.test(lines[0]!)) lines.shift();
  return lines;
}

/** Joins wrapped visual lines into paragraphs; a paragraph keeps the page it starts on. */
export function pagesToParagraphs(pages: PdfPage[]): { text: string; blocks: ExtractedBlock[] } {
  const paragraphs: { text: string; page: number }[] = [];
  let open: { text: string; page: number; lastLine: string; fullWidth: number } | undefined;
  for (const page of pages) {
    const lines = pageLines(page);
    const fullWidth = Math.max(0, ...lines.map(visualWidth));
    for (const line of lines) {
      const continues =
        open !== undefined &&
        !startsNewParagraph(open.lastLine, line) &&
        visualWidth(open.lastLine) >= open.fullWidth * SHORT_LINE_RATIO;
      if (open && continues) {
        const glue = /[A-Za-z0-9]$/.test(open.text) && /^[A-Za-z0-9]/.test(line) ? ' ' : '';
        open.text += glue + line;
        open.lastLine = line;
        open.fullWidth = fullWidth;
      } else {
        if (open) paragraphs.push(open);
        open = { text: line, page: page.num, lastLine: line, fullWidth };
      }
    }
  }
  if (open) paragraphs.push(open);
  let text = '';
  const blocks: ExtractedBlock[] = [];
  for (const p of paragraphs) {
    if (text.length > 0) text += '\n';
    blocks.push({ start: text.length, end: text.length + p.text.length, page: p.page });
    text += p.text;
  }
  return { text, blocks };
}
