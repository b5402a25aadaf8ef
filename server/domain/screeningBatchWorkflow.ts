/**
 * A screening batch (存量政策清理): a set of documents already in force, screened by the workers one file at a time.
 * The batch's state machine, pure: decisions returned as data (the aggregate itself is screeningBatch.ts).
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
import { ConflictError, ValidationError } from './errors';
import { BATCH_COMMAND_FROM, assertMayScreen } from './permissions/screening';
import type { Actor } from './roles';
import { BATCH_COMMANDS, type BatchCommand, type BatchEvent, type BatchState, type BatchSystemCommand, type ScreeningBatch } from './screeningBatch';
import { SCREENING_BATCH_STATE_LABELS } from './vocabulary';

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

