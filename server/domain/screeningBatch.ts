/**
 * A screening batch (存量政策清理): a set of documents already in force, screened by the workers one file at a time.
 * Pure: the state machine, who may do what, and the batch's progress figures, all returned as data.
 *
 *   running ─pause─▶ paused ─resume─▶ running
 *   running | paused ─cancel─▶ cancelled
 *   running ─complete (system: every file ingested and screened)─▶ completed
 *   running ─fail (system: the upload itself cannot be read)─▶ failed
 *
 * Decisions:
 * - Files are screened while the upload is still being unpacked (`ingest`), so a batch has no separate
 *   "ingesting" state; it completes only once the ingest is done and no file is still queued.
 * - `resume` bumps `generation`: the job ids of a run carry it, so re-queuing after a pause is never refused by
 *   a job id BullMQ still remembers from the run before.
 * - Checks run in the usual order: state and revision (409), role (403); who may do what is in
 *   permissions/screening.ts.
 */
import { ConflictError, ValidationError } from '../errors';
import { BATCH_COMMAND_FROM, assertMayScreen } from './permissions/screening';
import type { Actor } from './roles';
import { SCREENING_BATCH_STATE_LABELS } from './vocabulary';

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

const FROM: Readonly<Record<BatchCommand | BatchSystemCommand, readonly BatchState[]>> = {
  ...BATCH_COMMAND_FROM,
  complete: ['running'],
  fail: ['running', 'paused'],
};
const TO: Readonly<Record<BatchCommand | BatchSystemCommand, BatchState>> = {
  pause: 'paused',
  resume: 'running',
  cancel: 'cancelled',
  complete: 'completed',
  fail: 'failed',
};

/** What a decision returns; the repository applies it as ONE update guarded by `from` and `rev`. */
export interface BatchChange {
  from: BatchState;
  rev: number;
  to: BatchState;
  set: Partial<Pick<ScreeningBatch, 'generation' | 'finishedAt' | 'ingest'>>;
  event: BatchEvent;
}

/** A user's pause / resume / cancel. `rev` is the revision the caller saw; a stale one is refused. */
export function decideBatchCommand(batch: ScreeningBatch, actor: Actor, command: { action: BatchCommand; rev: number; comment?: string }, now: Date): BatchChange {
  if (!(BATCH_COMMANDS as readonly string[]).includes(command.action)) {
    throw new ValidationError('invalid_command', `action 应为 ${BATCH_COMMANDS.join(' | ')}`);
  }
  assertFrom(batch, command.action);
  if (command.rev !== batch.rev) throw new ConflictError('stale_rev', '批次已被他人修改，请刷新后重试', { expectedRev: batch.rev, rev: command.rev });
  assertMayScreen(actor, command.action);
  return change(batch, command.action, { id: actor.id, username: actor.username }, now, command.comment ?? '');
}

/** The system's own moves: `complete` once everything is screened, `fail` when the upload cannot be read. */
export function decideSystemChange(batch: ScreeningBatch, action: BatchSystemCommand, now: Date, comment = ''): BatchChange {
  assertFrom(batch, action);
  return change(batch, action, null, now, comment);
}

/** A batch completes when its files are all known (ingest done) and none is still waiting to be screened. */
export function isFinished(batch: Pick<ScreeningBatch, 'state' | 'ingest'>, queuedDocuments: number): boolean {
  return batch.state === 'running' && batch.ingest.status === 'done' && queuedDocuments === 0;
}

function assertFrom(batch: ScreeningBatch, action: BatchCommand | BatchSystemCommand): void {
  if (FROM[action].includes(batch.state)) return;
  throw new ConflictError('wrong_state', `批次处于「${SCREENING_BATCH_STATE_LABELS[batch.state]}」状态，不能执行 ${action}`, {
    action,
    state: batch.state,
    allowedFrom: [...FROM[action]],
  });
}

function change(batch: ScreeningBatch, action: BatchCommand | BatchSystemCommand, by: BatchEvent['by'], now: Date, comment: string): BatchChange {
  const to = TO[action];
  const set: BatchChange['set'] = {};
  if (action === 'resume') set.generation = batch.generation + 1;
  if (to === 'cancelled' || to === 'completed' || to === 'failed') set.finishedAt = now.toISOString();
  return { from: batch.state, rev: batch.rev, to, set, event: { action, from: batch.state, to, by, at: now.toISOString(), comment } };
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
