/**
 * Screening batches: start one (from an uploaded ZIP or a folder on the server), pause / resume / cancel it,
 * read its progress, complete it when everything is screened, and carry on with unfinished ones after a restart.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { deleteFile, openUploadStream } from '../../db/files';
import { ScreeningRepository } from '../../db/screeningRepository';
import { ConflictError, NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../domain/errors';
import type { Actor } from '../../domain/roles';
import { assertMayScreen, screeningBatchAllowedActions } from '../../domain/permissions/screening';
import { batchProgress, type BatchCommand, type BatchCounts, type ScreeningBatch } from '../../domain/screeningBatch';
import { decideBatchCommand } from '../../domain/screeningBatchWorkflow';
import { SCREENING_BATCH_STATE_LABELS } from '../../domain/vocabulary';
import { now, type ScreeningDeps } from './deps';
import { completeIfFinished, enqueueQueued } from './documentJobs';
import { ingestDirectory } from './ingest';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

function newBatch(actor: Actor, name: string, source: ScreeningBatch['source'], at: Date): Omit<ScreeningBatch, 'id'> {
  const by = { id: actor.id, username: actor.username };
  return {
    name,
    source,
    state: 'running',
    rev: 0,
    generation: 1,
    ingest: { status: 'pending', files: 0, error: null, finishedAt: null },
    createdBy: by,
    createdAt: at.toISOString(),
    finishedAt: null,
    events: [{ action: 'create', from: null, to: 'running', by, at: at.toISOString(), comment: '' }],
  };
}

function batchName(name: string | undefined, fallback: string): string {
  const trimmed = (name ?? '').trim() || fallback.replace(/\.zip$/i, '');
  if (trimmed.length > 200) throw new ValidationError('invalid_request', 'name：批次名称不超过 200 字', { issues: [{ path: 'body.name', message: '不超过 200 字' }] });
  return trimmed || '存量政策清理';
}

/**
 * Starts a batch from an uploaded ZIP: the upload is streamed into the store as it arrives (never held whole in
 * memory) and refused with 415 when it does not start like a ZIP, 413 past `maxBytes`; then the batch is created
 * and a worker unpacks it. Nothing is left behind by a refused upload.
 */
export async function startBatchFromZip(
  deps: ScreeningDeps,
  actor: Actor,
  upload: { stream: Readable; filename: string; name?: string; maxBytes: number },
): Promise<ScreeningBatch> {
  assertMayScreen(actor, 'start_batch');
  const name = batchName(upload.name, upload.filename);
  const target = openUploadStream(deps.store, 'screeningUploads', upload.filename, { uploadedBy: actor.id });
  let size = 0;
  let head = Buffer.alloc(0);
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (head.length < 4) {
        head = Buffer.concat([head, chunk]).subarray(0, 4);
        if (head.length >= 4 && !head.equals(ZIP_MAGIC) && !head.equals(EMPTY_ZIP_MAGIC)) {
          done(new UnsupportedMediaTypeError('not_a_zip', `file：「${upload.filename}」不是 ZIP 压缩包，请上传 .zip 文件`));
          return;
        }
      }
      if (size > upload.maxBytes) {
        done(new PayloadTooLargeError('upload_too_large', `file：压缩包超过上限 ${Math.round(upload.maxBytes / 1024 / 1024)} MB`, { limit: upload.maxBytes }));
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(upload.stream, guard, target);
    if (size < 4) throw new UnsupportedMediaTypeError('not_a_zip', `file：「${upload.filename}」不是 ZIP 压缩包，请上传 .zip 文件`);
  } catch (err) {
    upload.stream.resume(); // drain the rest of the request so the error answer reaches the client
    await deleteFile(deps.store, 'screeningUploads', String(target.id)).catch(() => undefined);
    throw err;
  }
  const repo = new ScreeningRepository(deps.models);
  const batch = await repo.createBatch(newBatch(actor, name, { kind: 'zip', filename: upload.filename, size, uploadFileId: String(target.id) }, now(deps)));
  await deps.queues.screeningIngest.add('ingest', { batchId: batch.id }, { jobId: `ingest-${batch.id}`, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } });
  return batch;
}

/**
 * Starts a batch from a folder on this machine (the admin's `npx fairreview batch import DIR`) and unpacks it
 * here: every file goes into the store, so workers on any machine can screen it. An import of the same folder that
 * was interrupted (the process killed before every file was in) is carried on rather than started again — or the
 * one named by `batchId`: files already stored are recognised by their content, and nothing is added twice.
 */
export async function startBatchFromDirectory(
  deps: ScreeningDeps,
  actor: Actor,
  input: { dir: string; name?: string; batchId?: string; onFile?: (path: string) => void },
): Promise<ScreeningBatch & { resumed: boolean }> {
  assertMayScreen(actor, 'start_batch');
  const repo = new ScreeningRepository(deps.models);
  let batch: ScreeningBatch | null;
  if (input.batchId) {
    batch = await repo.findBatch(input.batchId);
    if (!batch || batch.source.kind !== 'dir') throw new NotFoundError('batch_not_found', '批次不存在或不是从文件夹导入的批次');
  } else {
    batch = await repo.interruptedDirectoryImport(input.dir);
  }
  const resumed = batch !== null;
  batch ??= await repo.createBatch(newBatch(actor, batchName(input.name, input.dir.split('/').filter(Boolean).pop() ?? ''), { kind: 'dir', dir: input.dir }, now(deps)));
  await ingestDirectory(deps, batch, input.dir, input.onFile);
  await completeIfFinished(deps, batch.id);
  return { ...((await repo.findBatch(batch.id)) ?? batch), resumed };
}

/** Pause, resume or cancel; the effects on the queue follow the recorded decision. */
export async function commandBatch(deps: ScreeningDeps, actor: Actor, batchId: string, command: { action: BatchCommand; rev: number; comment?: string }) {
  assertMayScreen(actor, 'read_batch');
  const repo = new ScreeningRepository(deps.models);
  const batch = await repo.findBatch(batchId);
  if (!batch) throw new NotFoundError('batch_not_found', '清理批次不存在');
  const change = decideBatchCommand(batch, actor, command, now(deps));
  const updated = await repo.applyBatchChange(batch.id, change);
  if (!updated) throw new ConflictError('stale_rev', '批次已被他人修改，请刷新后重试');
  // Paused: workers leave its documents queued. Resumed: a new generation of jobs picks them up again.
  if (updated.state === 'running') await enqueueQueued(deps, updated);
  if (updated.state === 'cancelled') await repo.cancelQueued(updated.id);
  return batchView(deps, updated, actor);
}

/**
 * After a restart (any process), carries on with every unfinished batch: unpacking that had not finished is queued
 * again, and every waiting document is queued again (a no-op for those whose job Redis still holds).
 */
export async function resumeUnfinishedBatches(deps: ScreeningDeps): Promise<{ batches: number; requeued: number }> {
  const repo = new ScreeningRepository(deps.models);
  let requeued = 0;
  const batches = await repo.unfinishedBatches();
  for (const batch of batches) {
    if (batch.state !== 'running') continue;
    if (batch.source.kind === 'zip' && batch.ingest.status !== 'done' && batch.ingest.status !== 'failed') {
      await deps.queues.screeningIngest.add('ingest', { batchId: batch.id }, { jobId: `ingest-${batch.id}`, attempts: 3, backoff: { type: 'exponential', delay: 2000 } });
    }
    requeued += await enqueueQueued(deps, batch);
    await completeIfFinished(deps, batch.id);
  }
  return { batches: batches.length, requeued };
}

export async function readableBatch(deps: Pick<ScreeningDeps, 'models'>, actor: Actor, batchId: string): Promise<ScreeningBatch> {
  assertMayScreen(actor, 'read_batch');
  const batch = await new ScreeningRepository(deps.models).findBatch(batchId);
  if (!batch) throw new NotFoundError('batch_not_found', '清理批次不存在');
  return batch;
}

export async function batchCounts(deps: Pick<ScreeningDeps, 'models' | 'clock'>, batch: ScreeningBatch): Promise<BatchCounts> {
  return new ScreeningRepository(deps.models).counts(batch.id, batch.ingest.files, now(deps));
}

/** The batch as the API shows it: progress (done / failed / total, rate, time left) and what the caller may do. */
export async function batchView(deps: Pick<ScreeningDeps, 'models' | 'clock'>, batch: ScreeningBatch, actor: Actor) {
  const { source, events, ...record } = batch;
  return {
    ...record,
    stateLabel: SCREENING_BATCH_STATE_LABELS[batch.state],
    source: source.kind === 'zip' ? { kind: source.kind, filename: source.filename, size: source.size } : { kind: source.kind, dir: source.dir },
    events,
    progress: batchProgress(await batchCounts(deps, batch)),
    allowedActions: screeningBatchAllowedActions(batch, actor),
  };
}

export async function listBatches(deps: Pick<ScreeningDeps, 'models' | 'clock'>, actor: Actor, page: number, pageSize: number) {
  assertMayScreen(actor, 'read_batch');
  const { items, total } = await new ScreeningRepository(deps.models).listBatches(page, pageSize);
  return { items: await Promise.all(items.map((b) => batchView(deps, b, actor))), total, page, pageSize };
}
