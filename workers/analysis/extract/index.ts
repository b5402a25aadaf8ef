/**
 * Document extraction: decides the type from the bytes (never from the name alone), enforces the size limits,
 * and returns the text as paragraphs joined by "\n" with one block per paragraph. Every failure is a typed
 * AppError (413/415/422) with a machine code and a Chinese message.
 */
import { extractDocx, hasWordDocument } from './docx.js';
import {
  emptyFile,
  fileTooLarge,
  legacyWordFormat,
  notADocx,
  typeMismatch,
  unsupportedType,
  encryptedDocument,
  type DocumentFormat,
} from './errors.js';
import { extractPdf, isPdf } from './pdf.js';
import { decodeText, textToDocument } from './txt.js';
import type { ExtractedDocument } from './types.js';
import { isZip, readZipDirectory } from './zip.js';

export type { ExtractedBlock, ExtractedDocument } from './types.js';
export type { DocumentFormat } from './errors.js';
export { shutdownPdfWorker } from './pdf.js';

export interface ExtractOptions {
  filename?: string;
  mimeType?: string;
  /** Largest accepted file; default 20 MB. */
  maxBytes?: number;
  /** Largest total unpacked size of a DOCX; default 100 MB. */
  maxUnpackedBytes?: number;
  /** Time limit for parsing one PDF; default 20 s. */
  timeoutMs?: number;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
export const DEFAULT_PDF_TIMEOUT_MS = 20_000;

const EXTENSIONS: Record<string, DocumentFormat> = { docx: 'docx', pdf: 'pdf', txt: 'txt', text: 'txt' };
const LEGACY_EXTENSIONS = new Set(['doc', 'wps', 'dot', 'rtf']);
const MIME_TYPES: Record<string, DocumentFormat> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'text/plain': 'txt',
};

/** The format the upload claims through its file name (preferred) or MIME type; throws for unsupported names. */
export function claimedFormat(opts: Pick<ExtractOptions, 'filename' | 'mimeType'>): DocumentFormat | undefined {
  const ext = opts.filename?.match(/\.([A-Za-z0-9]{1,8})$/)?.[1]?.toLowerCase();
  if (ext) {
    if (EXTENSIONS[ext]) return EXTENSIONS[ext];
    if (LEGACY_EXTENSIONS.has(ext)) throw legacyWordFormat();
    throw unsupportedType(`.${ext}`);
  }
  const mime = opts.mimeType?.split(';')[0]?.trim().toLowerCase();
  if (mime === 'application/msword') throw legacyWordFormat();
  return mime ? MIME_TYPES[mime] : undefined;
}

const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Formats people upload by mistake, named so the message can say what the file is. */
const OTHER_MAGIC: [string, Buffer][] = [
  ['PNG 图片', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ['JPEG 图片', Buffer.from([0xff, 0xd8, 0xff])],
  ['GIF 图片', Buffer.from('GIF8')],
  ['TIFF 图片', Buffer.from([0x49, 0x49, 0x2a, 0x00])],
  ['TIFF 图片', Buffer.from([0x4d, 0x4d, 0x00, 0x2a])],
  ['RAR 压缩包', Buffer.from('Rar!')],
  ['7z 压缩包', Buffer.from([0x37, 0x7a, 0xbc, 0xaf])],
  ['RTF 文档', Buffer.from('{\\rtf')],
  ['OFD 文档', Buffer.from('OFD')],
];

type Detected = { format: 'docx' } | { format: 'pdf' } | { format: 'txt'; text: string };

/** Identifies the document from its bytes. */
export function detectFormat(buf: Buffer): Detected {
  if (isPdf(buf)) return { format: 'pdf' };
  if (isZip(buf)) {
    const entries = readZipDirectory(buf);
    if (!hasWordDocument(entries)) throw notADocx();
    return { format: 'docx' };
  }
  if (buf.subarray(0, 8).equals(OLE2_MAGIC)) {
    // Word's encrypted DOCX is an OLE2 container holding an "EncryptedPackage" stream
    if (buf.indexOf(Buffer.from('EncryptedPackage', 'utf16le')) >= 0) throw encryptedDocument('docx');
    throw legacyWordFormat();
  }
  for (const [name, magic] of OTHER_MAGIC) {
    if (buf.subarray(0, magic.length).equals(magic)) throw unsupportedType(name);
  }
  const decoded = decodeText(buf);
  if (!decoded) throw unsupportedType();
  return { format: 'txt', text: decoded.text };
}

export async function extractDocument(buf: Buffer, opts: ExtractOptions = {}): Promise<ExtractedDocument> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (buf.length > maxBytes) throw fileTooLarge(buf.length, maxBytes);
  const claimed = claimedFormat(opts);
  if (buf.length === 0) throw emptyFile();
  const detected = detectFormat(buf);
  if (claimed && claimed !== detected.format) throw typeMismatch(detected.format, claimed);
  switch (detected.format) {
    case 'txt':
      return { format: 'txt', ...textToDocument(detected.text) };
    case 'docx':
      return {
        format: 'docx',
        ...extractDocx(buf, { maxUnpackedBytes: opts.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES }),
      };
    case 'pdf': {
      const { text, blocks, pages } = await extractPdf(buf, { timeoutMs: opts.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS });
      return { format: 'pdf', text, blocks, pages };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Timing helper for the benchmark

export interface ExtractionTiming {
  format: DocumentFormat;
  bytes: number;
  chars: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Extracts the same document `runs` times after `warmup` runs and reports p50/p95 milliseconds. */
export async function measureExtraction(
  buf: Buffer,
  opts: ExtractOptions & { runs?: number; warmup?: number } = {},
): Promise<ExtractionTiming> {
  const runs = opts.runs ?? 20;
  let doc: ExtractedDocument | undefined;
  for (let i = 0; i < (opts.warmup ?? 3); i++) doc = await extractDocument(buf, opts);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    doc = await extractDocument(buf, opts);
    times.push(performance.now() - t0);
  }
  doc ??= await extractDocument(buf, opts);
  times.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    format: doc.format,
    bytes: buf.length,
    chars: doc.text.length,
    runs,
    p50Ms: round(percentile(times, 0.5)),
    p95Ms: round(percentile(times, 0.95)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
  };
}

/**
 * The check an upload gets before anything is stored: what the bytes are (DOCX, PDF or text), against what the
 * name or MIME type claims. Throws the typed 415/422 errors (empty file, wrong or mismatched type).
 */
export function checkDocumentFormat(buf: Buffer, claim: Pick<ExtractOptions, 'filename' | 'mimeType'>): DocumentFormat {
  const claimed = claimedFormat(claim);
  if (buf.length === 0) throw emptyFile();
  const { format } = detectFormat(buf);
  if (claimed && claimed !== format) throw typeMismatch(format, claimed);
  return format;
}
