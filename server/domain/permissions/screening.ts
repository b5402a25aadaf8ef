/**
 * Who may do what with screening batches (存量政策清理) and their documents, and from which states: the one place
 * for these rules. Regulators and admins run batches; judging a document and opening its recheck are review
 * decisions a named official answers for, so only regulators make them (admins make no review decisions).
 */
import { ForbiddenError } from '../errors';
import type { Actor, Role } from '../roles';
import type { BatchCommand, BatchState } from '../screeningBatch';
import type { DocumentReview, DocumentStatus } from '../screeningDocument';
import { ROLE_LABELS } from '../vocabulary';

/** The shape of an entry of `allowedActions` (allowedActions.ts), which lists screening among what a user may start. */
interface AllowedAction { action: string; allowed: boolean; reason?: string }

export type ScreeningAction = 'start_batch' | 'read_batch' | BatchCommand | 'review_document' | 'create_recheck_policy';

const ROLES: Readonly<Record<ScreeningAction, readonly Role[]>> = {
  start_batch: ['admin', 'regulator'],
  read_batch: ['admin', 'regulator'],
  pause: ['admin', 'regulator'],
  resume: ['admin', 'regulator'],
  cancel: ['admin', 'regulator'],
  review_document: ['regulator'],
  create_recheck_policy: ['regulator'],
};

const LABELS: Readonly<Record<ScreeningAction, string>> = {
  start_batch: '发起存量清理批次',
  read_batch: '查看存量清理批次',
  pause: '暂停批次',
  resume: '继续批次',
  cancel: '取消批次',
  review_document: '确认或排除清理结果',
  create_recheck_policy: '转为复查政策措施',
};

/** The states a batch command is taken from. */
export const BATCH_COMMAND_FROM: Readonly<Record<BatchCommand, readonly BatchState[]>> = {
  pause: ['running'],
  resume: ['paused'],
  cancel: ['running', 'paused'],
};

/** Why this actor may not take the action, or null when the role permits it. */
export function screeningRefusal(actor: Actor, action: ScreeningAction): string | null {
  return ROLES[action].includes(actor.role) ? null : `无权${LABELS[action]}：仅限${ROLES[action].map((r) => ROLE_LABELS[r]).join('、')}`;
}

export function mayScreen(actor: Actor, action: ScreeningAction): boolean {
  return screeningRefusal(actor, action) === null;
}

export function assertMayScreen(actor: Actor, action: ScreeningAction): void {
  const refusal = screeningRefusal(actor, action);
  if (refusal) throw new ForbiddenError('forbidden', refusal, { action });
}

/** A batch's commands the caller may give now (what the UI shows as buttons). */
export function screeningBatchAllowedActions(batch: { state: BatchState }, actor: Actor): AllowedAction[] {
  return (Object.keys(BATCH_COMMAND_FROM) as BatchCommand[])
    .filter((c) => BATCH_COMMAND_FROM[c].includes(batch.state) && mayScreen(actor, c))
    .map((action) => ({ action, allowed: true }));
}

/** A document's decisions the caller may take now. */
export function screeningDocumentAllowedActions(
  doc: { status: DocumentStatus; clauseCount: number; review: { status: DocumentReview }; recheckPolicyId: string | null },
  actor: Actor,
): AllowedAction[] {
  if (doc.status !== 'screened' || doc.clauseCount === 0 || doc.recheckPolicyId) return [];
  const actions: AllowedAction[] = [];
  if (mayScreen(actor, 'review_document')) actions.push({ action: 'confirm', allowed: true }, { action: 'dismiss', allowed: true });
  if (mayScreen(actor, 'create_recheck_policy')) {
    actions.push(doc.review.status === 'confirmed' ? { action: 'create_recheck_policy', allowed: true } : { action: 'create_recheck_policy', allowed: false, reason: '请先确认该文件存在问题' });
  }
  return actions;
}
