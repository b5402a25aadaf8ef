/**
 * Unpacking a batch into documents: each file (from the uploaded ZIP, or a folder on the server) is hashed, becomes
 * a document of the batch or — the same content seen before — another path of one, is stored in GridFS and queued
 * for screening. Everything streams: one file at a time is in memory, whatever the batch's size.
 *
 * Re-running is safe (a worker that died mid-way, a repeated `batch import`): contents already known only gain
 * their path, a stored file is not stored twice, and queuing uses job ids that make a second add a no-op.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, opendir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { openDownloadStream } from '../../db/files';
import { ScreeningRepository } from '../../db/screeningRepository';
import type { ScreeningBatch } from '../../domain/screeningBatch';
import { decideSystemChange } from '../../domain/screeningBatchWorkflow';
import { departmentOfPath, suggestDisposition, type ScreeningOutcome } from '../../domain/screeningDocument';
import { now, type ScreeningDeps } from './deps';
import { completeIfFinished, enqueueDocuments } from './documentJobs';

/** Files that archivers and file managers leave behind; they are not documents of the batch. */
function isSystemLeftover(relativePath: string): boolean {
  const name = relativePath.split('/').pop() ?? '';
  return relativePath.startsWith('__MACOSX/') || name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/** A path inside the batch: "/"-separated, no leading "/", no "." or ".." parts (a ZIP may carry any of these). */
export function cleanPath(raw: string): string {
  return raw.replace(/\\/g, '/').split('/').filter((part) => part && part !== '.' && part !== '..').join('/');
}

export type FileContent =
  | { kind: 'read'; data: Buffer; sha256: string }
  /** refused before reading (declared too large) or unreadable mid-way: identified by its path, not its content */
  | { kind: 'refused'; size: number; outcome: Extract<ScreeningOutcome, { status: 'failed' }> };

async function readWhole(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new Error(`文件解压后超过上限 ${Math.round(maxBytes / 1024 / 1024)} MB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Adds one file to the batch: a document (new content) or a path of one (known content), stored and queued. */
export async function addFileToBatch(deps: ScreeningDeps, batch: ScreeningBatch, relativePath: string, content: FileContent): Promise<void> {
  const repo = new ScreeningRepository(deps.models);
  const filename = relativePath.split('/').pop() ?? relativePath;
  const sha256 = content.kind === 'read' ? content.sha256 : `refused:${createHash('sha256').update(relativePath).digest('hex')}`;
  const size = content.kind === 'read' ? content.data.length : content.size;
  const doc = await repo.addFile(batch.id, { sha256, path: relativePath, filename, department: departmentOfPath(relativePath), size });
  if (doc.status !== 'queued') return; // known content, already screened (or the batch was cancelled)
  if (content.kind === 'refused') {
    await repo.recordOutcome(doc.id, content.outcome, suggestDisposition(content.outcome), now(deps));
    return;
  }
  if (doc.fileChunks === null) await repo.storeFile(doc.id, content.data);
  await enqueueDocuments(deps, batch, [doc.id]);
}

/** Stops unpacking a batch that was cancelled meanwhile; checked every few files. */
async function stillWanted(deps: ScreeningDeps, batchId: string): Promise<ScreeningBatch | null> {
  const batch = await new ScreeningRepository(deps.models).findBatch(batchId);
  return batch && (batch.state === 'running' || batch.state === 'paused') ? batch : null;
}

const PROGRESS_EVERY = 25;

/** Walks the files of one source, adding each; records the count as it goes and `done` at the end. */
async function ingest(deps: ScreeningDeps, batch: ScreeningBatch, files: AsyncIterable<{ path: string; content: () => Promise<FileContent> }>, onFile?: (path: string) => void): Promise<void> {
  const repo = new ScreeningRepository(deps.models);
  let count = 0;
  let current: ScreeningBatch | null = batch;
  await repo.setIngest(batch.id, { status: 'running', files: 0, error: null, finishedAt: null });
  for await (const file of files) {
    if (count % PROGRESS_EVERY === 0 && count > 0) {
      current = await stillWanted(deps, batch.id);
      if (!current) return;
      await repo.setIngest(batch.id, { status: 'running', files: count, error: null, finishedAt: null });
    }
    await addFileToBatch(deps, current, file.path, await file.content());
    count++;
    onFile?.(file.path);
  }
  await repo.setIngest(batch.id, { status: 'done', files: count, error: null, finishedAt: now(deps).toISOString() });
}

// ---------------------------------------------------------------------------------------------------------
// ZIP

/**
 * Entry names: UTF-8 when the archiver says so (flag bit 11, or Info-ZIP's unicode path field); otherwise
 * archivers on Chinese Windows write GBK, which is what we try when the bytes are not valid UTF-8.
 */
function entryPath(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw;
  if (entry.generalPurposeBitFlag & 0x800) return raw.toString('utf8');
  const unicodePath = entry.extraFields.find((f) => f.id === 0x7075);
  if (unicodePath && unicodePath.data.length > 5 && unicodePath.data[0] === 1) return unicodePath.data.subarray(5).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return iconv.decode(raw, 'gb18030');
  }
}

async function* zipFiles(zipPath: string, maxBytes: number): AsyncGenerator<{ path: string; content: () => Promise<FileContent> }> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, decodeStrings: false, autoClose: true });
  try {
    for await (const entry of zip.eachEntry()) {
      const relativePath = cleanPath(entryPath(entry));
      if (!relativePath || entryPath(entry).endsWith('/') || isSystemLeftover(relativePath)) continue;
      yield {
        path: relativePath,
        content: async (): Promise<FileContent> => {
          const refuse = (errorCode: string, error: string): FileContent => ({ kind: 'refused', size: entry.uncompressedSize, outcome: { status: 'failed', errorCode, error } });
          if (entry.uncompressedSize > maxBytes) return refuse('file_too_large', `文件大小为 ${megabytes(entry.uncompressedSize)}，超过上限 ${megabytes(maxBytes)}`);
          if (entry.isEncrypted()) return refuse('encrypted_entry', '压缩包内的该文件已加密，无法读取');
          try {
            const data = await readWhole(await zip.openReadStreamPromise(entry), maxBytes);
            return { kind: 'read', data, sha256: createHash('sha256').update(data).digest('hex') };
          } catch (err) {
            return refuse('corrupt_entry', `压缩包内的该文件已损坏，无法解压（${err instanceof Error ? err.message : String(err)}）`);
          }
        },
      };
    }
  } finally {
    zip.close();
  }
}

/**
 * Unpacks a batch's uploaded ZIP (the worker's ingest job). The ZIP is copied from GridFS to a temporary file
 * first: its directory sits at the end, so reading it needs random access. An archive that cannot be opened at
 * all fails the batch with the reason.
 */
export async function ingestZipBatch(deps: ScreeningDeps, batchId: string): Promise<{ skipped?: string; files?: number }> {
  const repo = new ScreeningRepository(deps.models);
  const batch = await stillWanted(deps, batchId);
  if (!batch || batch.source.kind !== 'zip') return { skipped: 'not_running' };
  if (batch.ingest.status === 'done' || batch.ingest.status === 'failed') return { skipped: 'already_ingested' };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fairreview-batch-'));
  const zipPath = path.join(dir, 'upload.zip');
  try {
    await pipeline(openDownloadStream(deps.store, 'screeningUploads', batch.source.uploadFileId), createWriteStream(zipPath));
    try {
      await ingest(deps, batch, zipFiles(zipPath, deps.config.MAX_UPLOAD_BYTES));
    } catch (err) {
      if (!isZipFormatError(err)) throw err;
      await failIngest(deps, batch.id, `压缩包无法读取：${(err as Error).message}`);
      return { skipped: 'unreadable_zip' };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await completeIfFinished(deps, batch.id);
  return { files: (await repo.findBatch(batch.id))?.ingest.files ?? 0 };
}

/** Unpacking failed for good (an unreadable archive, or retries used up): the batch fails and says why. */
export async function failIngest(deps: ScreeningDeps, batchId: string, reason: string): Promise<void> {
  const repo = new ScreeningRepository(deps.models);
  const batch = await repo.findBatch(batchId);
  if (!batch) return;
  await repo.setIngest(batch.id, { ...batch.ingest, status: 'failed', error: reason, finishedAt: now(deps).toISOString() });
  if (batch.state === 'running' || batch.state === 'paused') await repo.applyBatchChange(batch.id, decideSystemChange(batch, 'fail', now(deps), reason));
}

/** yauzl's complaints about the archive itself (as opposed to a store or disk fault, which is retried). */
function isZipFormatError(err: unknown): boolean {
  return err instanceof Error && /end of central directory|invalid|unsupported|zip|signature|truncated|comment length/i.test(err.message) && !/ECONN|ENOSPC|Mongo/i.test(err.message);
}

// ---------------------------------------------------------------------------------------------------------
// Folder

/** The files under `root` in a stable order (folders by name, depth first), as "/"-separated relative paths. */
export async function* walkDirectory(root: string, relative = ''): AsyncGenerator<{ path: string; fullPath: string }> {
  const entries = [];
  for await (const entry of await opendir(path.join(root, relative))) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) yield* walkDirectory(root, rel);
    } else if (entry.isFile() && !isSystemLeftover(rel)) {
      yield { path: rel, fullPath: path.join(root, rel) };
    }
  }
}

/** Reads a file of a folder, or refuses it unread when it is larger than an upload may be. */
export async function readFolderFile(fullPath: string, maxBytes: number): Promise<FileContent> {
  const { size } = await stat(fullPath);
  if (size > maxBytes) return { kind: 'refused', size, outcome: { status: 'failed', errorCode: 'file_too_large', error: `文件大小为 ${megabytes(size)}，超过上限 ${megabytes(maxBytes)}` } };
  const data = await readWhole(createReadStream(fullPath), maxBytes);
  return { kind: 'read', data, sha256: createHash('sha256').update(data).digest('hex') };
}

async function* directoryFiles(root: string, maxBytes: number): AsyncGenerator<{ path: string; content: () => Promise<FileContent> }> {
  for await (const file of walkDirectory(root)) yield { path: file.path, content: () => readFolderFile(file.fullPath, maxBytes) };
}

/** Unpacks a folder on this machine into the batch (see startBatchFromDirectory). */
export async function ingestDirectory(deps: ScreeningDeps, batch: ScreeningBatch, dir: string, onFile?: (path: string) => void): Promise<void> {
  await ingest(deps, batch, directoryFiles(path.resolve(dir), deps.config.MAX_UPLOAD_BYTES), onFile);
}
