/**
 * A screening batch (存量政策清理): a set of documents already in force, screened by the workers one file at a time.
 * The aggregate as plain data and its progress figures; its state machine is screeningBatchWorkflow.ts.
 */

export const BATCH_STATES = ['running', 'paused', 'cancelled', 'completed', 'failed'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export const BATCH_COMMANDS = ['pause', 'resume', 'cancel'] as const;
export type BatchCommand = (typeof BATCH_COMMANDS)[number];
export type BatchSystemCommand = 'complete' | 'fail';

export const INGEST_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

export type BatchSource =
  | { kind: 'zip'; filename: string; size: number; uploadFileId: string }
  | { kind: 'dir'; dir: string };

export interface BatchEvent {
  action: BatchCommand | BatchSystemCommand | 'create';
  from: BatchState | null;
  to: BatchState;
  by: { id: string; username: string } | null;
  at: string;
  comment: string;
}

export interface ScreeningBatch {
  id: string;
  name: string;
  source: BatchSource;
  state: BatchState;
  rev: number;
  generation: number;
  ingest: { status: IngestStatus; files: number; error: string | null; finishedAt: string | null };
  createdBy: { id: string; username: string };
  createdAt: string;
  finishedAt: string | null;
  events: BatchEvent[];
}

/** A batch completes when its files are all known (ingest done) and none is still waiting to be screened. */
export function isFinished(batch: Pick<ScreeningBatch, 'state' | 'ingest'>, queuedDocuments: number): boolean {
  return batch.state === 'running' && batch.ingest.status === 'done' && queuedDocuments === 0;
}

export interface BatchCounts {
  /** distinct documents (by content) found so far */
  documents: number;
  /** files found so far, duplicates included */
  files: number;
  queued: number;
  screened: number;
  failed: number;
  cancelled: number;
  /** documents screened or failed in the last `windowSeconds` */
  recent: number;
  windowSeconds: number;
}

export interface BatchProgress extends BatchCounts {
  done: number;
  duplicates: number;
  /** documents per hour over the recent window; null until something finished in it */
  ratePerHour: number | null;
  /** seconds until the queued documents are done at that rate; null when unknown */
  secondsLeft: number | null;
}

export function batchProgress(counts: BatchCounts): BatchProgress {
  const ratePerSecond = counts.recent > 0 ? counts.recent / counts.windowSeconds : 0;
  return {
    ...counts,
    done: counts.screened + counts.failed,
    duplicates: Math.max(0, counts.files - counts.documents),
    ratePerHour: ratePerSecond > 0 ? Math.round(ratePerSecond * 3600) : null,
    secondsLeft: ratePerSecond > 0 ? Math.ceil(counts.queued / ratePerSecond) : counts.queued === 0 ? 0 : null,
  };
}
