/**
 * Screens one queued document of a batch (the worker's job): reads it from the store, screens it, and records
 * the outcome with ONE update guarded by `queued`, so a job that runs twice (a retry; a worker presumed dead
 * that was only slow; a killed worker's job taken over) records one outcome. A document of a paused or
 * cancelled batch is left as it is: a resume queues it again.
 */
import { sha256 } from '../../db/files';
import { ScreeningRepository } from '../../db/screeningRepository';
import { suggestDisposition, type ScreeningOutcome } from '../../domain/screeningDocument';
import { now, type ScreeningDeps } from './deps';
import { completeBatchesWhenQueueIdle } from './documentJobs';
import { screenFile } from './screenFile';

export type ScreenDocumentResult =
  | { skipped: 'document_not_queued' | 'batch_not_running' | 'file_not_stored' }
  | { recorded: boolean; disposition: string };

export async function screenQueuedDocument(deps: ScreeningDeps, job: { batchId: string; documentId: string }, beforeScreening?: () => Promise<void>): Promise<ScreenDocumentResult> {
  const repo = new ScreeningRepository(deps.models);
  const doc = await repo.findDocument(job.batchId, job.documentId);
  if (!doc || doc.status !== 'queued') {
    // done by an earlier run of this job, which may have died before it could complete the batch
    await completeBatchesWhenQueueIdle(deps);
    return { skipped: 'document_not_queued' };
  }
  const batch = await repo.findBatch(job.batchId);
  if (!batch || batch.state !== 'running') return { skipped: 'batch_not_running' };
  // unpacking stores the file before it queues the job; without one the unpacking was interrupted and queues it again
  if (doc.fileChunks === null) return { skipped: 'file_not_stored' };

  const file = await repo.readFile(doc.id, doc.fileChunks);
  // a short or altered read is a store fault, retried like one
  if (sha256(file) !== doc.sha256) throw new Error(`文件读取不完整（${file.length}/${doc.size} 字节，校验值不符）`);
  await beforeScreening?.();
  const { outcome, suggestion } = await screenFile(file, { filename: doc.filename, maxBytes: deps.config.MAX_UPLOAD_BYTES });
  const recorded = await repo.recordOutcome(doc.id, outcome, suggestion, now(deps));
  await completeBatchesWhenQueueIdle(deps);
  return { recorded, disposition: suggestion.disposition };
}

/** A job that failed for good (its retries used up, or it stalled too often): the document says why. */
export async function recordScreeningFailure(deps: ScreeningDeps, job: { batchId: string; documentId: string }, message: string): Promise<void> {
  const outcome: ScreeningOutcome = { status: 'failed', errorCode: 'screening_failed', error: `筛查未能完成：${message}` };
  const recorded = await new ScreeningRepository(deps.models).recordOutcome(job.documentId, outcome, suggestDisposition(outcome), now(deps));
  if (recorded) await completeBatchesWhenQueueIdle(deps);
}
