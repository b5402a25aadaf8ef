/**
 * The jobs behind a batch's documents: one BullMQ job per document and generation, queued by unpacking, by a
 * resume and after a restart; and the batch's completion once none is left.
 */
import { ScreeningRepository } from '../../db/screeningRepository';
import { isFinished, type ScreeningBatch } from '../../domain/screeningBatch';
import { decideSystemChange } from '../../domain/screeningBatchWorkflow';
import { now, type ScreeningDeps } from './deps';

/** Job options of one document's screening: a few retries for store or Redis hiccups; finished jobs are trimmed. */
const SCREENING_JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } };

/** `retry` tells a re-queue of lost jobs apart from the run's own job, which BullMQ may still remember. */
export function screeningJobId(documentId: string, generation: number, retry = ''): string {
  return `screen-${documentId}-${generation}${retry ? `-${retry}` : ''}`;
}

/** Queues documents of a running batch; the job id (document + generation) makes queuing twice a no-op. */
export async function enqueueDocuments(deps: Pick<ScreeningDeps, 'queues'>, batch: Pick<ScreeningBatch, 'id' | 'generation'>, documentIds: readonly string[], retry = ''): Promise<void> {
  if (documentIds.length === 0) return;
  await deps.queues.screening.addBulk(documentIds.map((documentId) => ({
    name: 'screen',
    data: { batchId: batch.id, documentId },
    opts: { ...SCREENING_JOB_OPTIONS, jobId: screeningJobId(documentId, batch.generation, retry) },
  })));
}

/** Queues every document still waiting, in chunks, streaming their ids from the store. */
export async function enqueueQueued(deps: Pick<ScreeningDeps, 'models' | 'queues'>, batch: ScreeningBatch, retry = ''): Promise<number> {
  const repo = new ScreeningRepository(deps.models);
  let chunk: string[] = [];
  let queued = 0;
  for await (const doc of repo.queuedDocumentIds(batch.id)) {
    chunk.push(String(doc._id));
    if (chunk.length >= 500) {
      await enqueueDocuments(deps, batch, chunk, retry);
      queued += chunk.length;
      chunk = [];
    }
  }
  await enqueueDocuments(deps, batch, chunk, retry);
  return queued + chunk.length;
}

/**
 * After a document is done: when the screening queue has nothing more waiting, checks every running batch for
 * completion (the jobs still active check again when they finish). While jobs wait, the check is left to a later
 * job: asking the store after every document would cost one query per document for nothing.
 */
export async function completeBatchesWhenQueueIdle(deps: Pick<ScreeningDeps, 'models' | 'clock' | 'queues'>): Promise<void> {
  const { waiting = 0, delayed = 0, prioritized = 0, active = 0 } = await deps.queues.screening.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
  if (waiting + delayed + prioritized > 0) return;
  // the caller is the one active job: anything still queued has lost its job
  await completeOrRequeueBatches(deps, active <= 1);
}

/**
 * The outbox sweep's part for screening: when the screening queue is idle (nothing waiting, delayed or active),
 * documents still queued in a running batch have lost their jobs (Redis lost them, a job ended without recording,
 * or the last two jobs finished at once and each saw the other still active). Returns how many were queued again.
 */
export async function requeueLostScreeningJobs(deps: Pick<ScreeningDeps, 'models' | 'clock' | 'queues'>): Promise<number> {
  const counts = await deps.queues.screening.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
  if (Object.values(counts).some((n) => n > 0)) return 0;
  return completeOrRequeueBatches(deps, true);
}

async function completeOrRequeueBatches(deps: Pick<ScreeningDeps, 'models' | 'clock' | 'queues'>, requeueLost: boolean): Promise<number> {
  let requeued = 0;
  for (const batch of await new ScreeningRepository(deps.models).unfinishedBatches()) {
    if (await completeIfFinished(deps, batch.id)) continue;
    // queued again under new job ids; recording is guarded, so a document that was in fact being screened is
    // recorded once
    if (requeueLost && batch.state === 'running' && batch.ingest.status === 'done') requeued += await enqueueQueued(deps, batch, `r${Date.now()}`);
  }
  return requeued;
}

/**
 * Completes the batch once its files are all known and none is waiting. Called after each recorded outcome and
 * after unpacking; a lost race (another worker completed it) is fine.
 */
export async function completeIfFinished(deps: Pick<ScreeningDeps, 'models' | 'clock'>, batchId: string): Promise<boolean> {
  const repo = new ScreeningRepository(deps.models);
  const batch = await repo.findBatch(batchId);
  if (!batch || batch.state !== 'running' || batch.ingest.status !== 'done') return false;
  if (!isFinished(batch, (await repo.hasQueued(batch.id)) ? 1 : 0)) return false;
  return (await repo.applyBatchChange(batch.id, decideSystemChange(batch, 'complete', now(deps)))) !== null;
}

