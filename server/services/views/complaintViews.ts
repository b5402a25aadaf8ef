/** How a complaint is shown: to staff in the list and the case, and to the reporter following it. */
import { COMPLAINT_STATE_LABELS } from '../../../checklists/vocabulary';
import type { Complaint } from '../../domain/complaint';
import { activeDeadlineKind } from '../../domain/complaintWorkflow';
import { complaintViewFor } from '../../domain/confidentiality';
import { complaintAllowedActions } from '../../domain/permissions/allowedActions';
import { availableComplaintActions } from '../../domain/permissions/complaint';
import type { Actor } from '../../domain/roles';
import { reporterActor } from '../../domain/supervisionActor';

/** Past its running deadline now (the statistics' rule): right even before the deadline job has run. */
export function isOverdue(complaint: Pick<Complaint, 'state' | 'deadlines'>, now: Date): boolean {
  const kind = activeDeadlineKind(complaint.state);
  const deadline = kind ? complaint.deadlines[kind] : undefined;
  return deadline !== undefined && Date.parse(deadline.dueAt) < now.getTime();
}

function deadlineSummary(complaint: Complaint) {
  const kind = activeDeadlineKind(complaint.state);
  const deadline = kind ? complaint.deadlines[kind] : undefined;
  return deadline && kind ? { kind, dueDate: deadline.dueDate, dueAt: deadline.dueAt, provisional: deadline.provisional, extended: Boolean(deadline.extension) } : null;
}

/** A list row: never the reporter's identity, whoever reads. */
export function complaintSummaryView(complaint: Complaint, actor: Actor, now: Date) {
  const { view } = complaintViewFor(complaint, actor, 'list', now);
  return {
    id: view.id,
    refNo: view.refNo,
    state: view.state,
    stateLabel: COMPLAINT_STATE_LABELS[view.state],
    rev: view.rev,
    receivedAt: view.receivedAt,
    assigneeId: view.assigneeId,
    target: view.target,
    reporter: view.reporter,
    deadline: deadlineSummary(complaint),
    overdue: isOverdue(complaint, now),
  };
}

export function complaintDetailView(view: ReturnType<typeof complaintViewFor>['view'], complaint: Complaint, actor: Actor, now: Date) {
  return {
    ...view,
    stateLabel: COMPLAINT_STATE_LABELS[complaint.state],
    deadline: deadlineSummary(complaint),
    overdue: isOverdue(complaint, now),
    availableActions: availableComplaintActions(complaint, actor),
    allowedActions: complaintAllowedActions(complaint, actor),
  };
}

/** What the reporter may learn: state, dates and outcome, nothing about who handles the case. */
export function reporterStatusView(complaint: Complaint) {
  const concluded = ['violation_confirmed', 'no_violation', 'replied', 'closed'].includes(complaint.state);
  return {
    refNo: complaint.refNo,
    state: complaint.state,
    stateLabel: COMPLAINT_STATE_LABELS[complaint.state],
    receivedAt: complaint.receivedAt,
    updatedAt: complaint.events.at(-1)?.at ?? complaint.receivedAt,
    supplement:
      complaint.state === 'supplement_requested' && complaint.supplementRequest
        ? { items: complaint.supplementRequest.items, dueDate: complaint.deadlines.supplement?.dueDate ?? null }
        : null,
    notAccepted: complaint.notAccepted,
    transferredTo: complaint.transfer?.toAuthority ?? null,
    outcome: concluded ? complaint.finding?.outcome ?? null : null,
    reply: complaint.reply,
    rating: complaint.rating ?? null,
    /** whether the reporter may rate the handling now (after the reply, once) */
    mayRate: !complaint.rating && complaint.reply !== null && availableComplaintActions(complaint, reporterActor(complaint.refNo)).includes('rate'),
  };
}
